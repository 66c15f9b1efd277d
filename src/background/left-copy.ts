// Back from a copy must not bounce the reader into it again. Chrome cannot replace the failed
// page's history entry with the viewer, so "back" from the viewer reloads the failed page, which
// fails again: a tab that navigates to the page its copy showed, without the viewer's "try the
// site" buttons, left the copy, and when that page fails the reader is taken one step further
// (background.ts, errorPageShown); the popup offers the copy when there is nowhere to go.
// Firefox's viewer takes the failed page's entry (tabs.update loadReplace): "back" from it never
// lands on the failed page, a copy can open in its place again, and nothing here is kept.
import type { Phase, TabState } from '../lib/tab-state'
import type { StorageArea } from './ports'

const retryKey = (tabId: number): string => `retry:${tabId}`
const leftKey = (tabId: number): string => `left-copy:${tabId}`
const SHOWING_COPY: Phase[] = ['fetching', 'showing', 'seeding', 'error']

export interface LeftCopies {
  /** From the viewer: the reader asked to try the site itself. */
  retryAsked: (tabId: number, url: string) => Promise<void>
  /** A navigation to `url` starts in a tab that was in `previous`. */
  noteNavigation: (tabId: number, url: string, previous: TabState | null) => Promise<void>
  /** Whether the tab's navigation to `url` left its copy. */
  left: (tabId: number, url: string) => Promise<boolean>
  forget: (tabId: number) => Promise<void>
}

const NOTHING_KEPT: LeftCopies = { retryAsked: async () => {}, noteNavigation: async () => {}, left: async () => await Promise.resolve(false), forget: async () => {} }

/** `needed`: the viewer follows the failed page in history instead of taking its place (Chrome). */
export function leftCopies (session: StorageArea, needed: boolean): LeftCopies {
  if (!needed) return NOTHING_KEPT
  return {
    async retryAsked (tabId: number, url: string): Promise<void> {
      await session.set({ [retryKey(tabId)]: url })
    },

    async noteNavigation (tabId: number, url: string, previous: TabState | null): Promise<void> {
      // Two storage calls on every navigation, no more: healthy browsing pays for them.
      const retry = (await session.get([retryKey(tabId)]))[retryKey(tabId)]
      const leaving = previous !== null && previous.url === url && SHOWING_COPY.includes(previous.phase) && retry !== url
      if (leaving) {
        await session.remove([retryKey(tabId)])
        await session.set({ [leftKey(tabId)]: url })
      } else {
        await session.remove([retryKey(tabId), leftKey(tabId)])
      }
    },

    async left (tabId: number, url: string): Promise<boolean> {
      return (await session.get([leftKey(tabId)]))[leftKey(tabId)] === url
    },

    async forget (tabId: number): Promise<void> {
      await session.remove([retryKey(tabId), leftKey(tabId)])
    }
  }
}
