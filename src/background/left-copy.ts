// Back from a copy must not bounce the reader into it again. Chrome cannot replace the failed
// page's history entry with the viewer, so "back" from the viewer reloads the failed page, which
// fails again; Firefox replaces it (tabs.update loadReplace), but a reader may still type the
// address again. Either way, a tab that navigates to the page its copy showed, without the
// viewer's "try the site" buttons, left the copy on purpose: if the page fails now, the copy is
// offered in the popup instead of opened.
import type { Phase, TabState } from '../lib/tab-state'
import type { StorageArea } from './ports'

const retryKey = (tabId: number): string => `retry:${tabId}`
const leftKey = (tabId: number): string => `left-copy:${tabId}`
const SHOWING_COPY: Phase[] = ['fetching', 'showing', 'seeding', 'error']

export type LeftCopies = ReturnType<typeof leftCopies>

export function leftCopies (session: StorageArea) {
  return {
    /** From the viewer: the reader asked to try the site itself. */
    async retryAsked (tabId: number, url: string): Promise<void> {
      await session.set({ [retryKey(tabId)]: url })
    },

    /** A navigation to `url` starts in a tab that was in `previous`. */
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
