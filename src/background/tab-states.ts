// Each tab's failover state, the discovery that found its copy and the viewer's last stats, in
// storage.session: a restarted service worker picks up where the old one stopped.
import type { CopyStats } from '../lib/copy-stats'
import type { Discovery } from '../lib/discovery'
import type { Trigger } from '../lib/records'
import { canMove, type Phase, type TabState } from '../lib/tab-state'
import { withoutFragment } from '../protocol/format'
import type { BackgroundDeps } from './ports'

const STATE_PREFIX = 'tab-state:'
const stateKey = (tabId: number): string => `${STATE_PREFIX}${tabId}`
const discoveryKey = (tabId: number): string => `tab-discovery:${tabId}`
const statsKey = (tabId: number): string => `tab-stats:${tabId}`

export interface Interrupted { tabId: number, url: string, trigger: Trigger | null }

export type TabStates = ReturnType<typeof tabStates>

export function tabStates ({ session, tabs, clock, showBadge, instance }: Pick<BackgroundDeps, 'session' | 'tabs' | 'clock' | 'showBadge' | 'instance'>) {
  // Tabs closed in this instance's lifetime: a viewer's last report, sent as its tab closed, may
  // arrive after the tab's state was forgotten, and must not bring it back.
  const closed = new Set<number>()
  const read = async <T>(key: string): Promise<T | null> => ((await session.get([key]))[key] as T | undefined) ?? null

  const state = async (tabId: number): Promise<TabState | null> => await read<TabState>(stateKey(tabId))
  const stats = async (tabId: number): Promise<CopyStats | null> => await read<CopyStats>(statsKey(tabId))

  return {
    state,
    stats,

    /** Moves a tab to a phase if the state machine allows it; returns whether it moved. */
    async move (tabId: number, phase: Phase, url: string, message?: string, trigger?: Trigger): Promise<boolean> {
      const current = await state(tabId)
      if (closed.has(tabId) || !canMove(current?.phase ?? null, phase)) return false
      const next: TabState = {
        phase,
        url,
        since: clock.now(),
        ...(message !== undefined && { message }),
        ...(phase === 'looking-up' && { worker: instance, ...(trigger !== undefined && { trigger }) })
      }
      await session.set({ [stateKey(tabId)]: next })
      // Watching shows no badge: a tab that showed none has nothing to clear (every healthy navigation).
      const noBadgeBefore = current === null || current.phase === 'watching'
      if (!(phase === 'watching' && noBadgeBefore)) await showBadge(tabId, next, next.phase === 'seeding' ? await stats(tabId) : null)
      return true
    },

    /**
     * A page committed in the tab (the failed page's error page, too): browsers clear a tab's
     * badge when it navigates, so a state that is about this page shows its badge again.
     */
    async committed (tabId: number, url: string): Promise<void> {
      const current = await state(tabId)
      if (current !== null && current.url === url && current.phase !== 'watching') await showBadge(tabId, current, await stats(tabId))
    },

    /**
     * Tabs whose lookup an earlier background instance started and never finished (the browser
     * stopped the worker: an update, a crash, idle), still showing the page that failed.
     */
    async interrupted (): Promise<Interrupted[]> {
      const all = await session.get(null)
      const lookups = Object.entries(all).flatMap(([key, value]) => {
        const tabState = value as TabState
        return key.startsWith(STATE_PREFIX) && tabState.phase === 'looking-up' && tabState.worker !== instance
          ? [{ tabId: Number(key.slice(STATE_PREFIX.length)), url: tabState.url, trigger: tabState.trigger ?? null }]
          : []
      })
      const open = await Promise.all(lookups.map(async ({ tabId, url }) => {
        const tab = await tabs.get(tabId)
        return tab?.url !== undefined && withoutFragment(tab.url) === url && tab.pendingUrl === undefined
      }))
      return lookups.filter((_, index) => open[index])
    },

    async rememberDiscovery (tabId: number, discovery: Discovery): Promise<void> {
      if (closed.has(tabId)) return
      await session.set({ [discoveryKey(tabId)]: discovery })
    },

    async discoveryFor (tabId: number, url: string): Promise<Discovery | null> {
      const discovery = await read<Discovery>(discoveryKey(tabId))
      return discovery?.url === url ? discovery : null
    },

    /** From the viewer, each second: kept for the popup, and shown on the badge (with the peer count). */
    async rememberStats (tabId: number, copyStats: CopyStats): Promise<void> {
      if (closed.has(tabId)) return
      await session.set({ [statsKey(tabId)]: copyStats })
      // Each second, not only on a change: a browser may clear a tab's badge when it navigates.
      const current = await state(tabId)
      if (current !== null) await showBadge(tabId, current, copyStats)
    },

    async forget (tabId: number): Promise<void> {
      closed.add(tabId)
      await session.remove([stateKey(tabId), discoveryKey(tabId), statsKey(tabId)])
    }
  }
}
