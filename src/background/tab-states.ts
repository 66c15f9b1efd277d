// Each tab's failover state and the discovery that found its copy, in storage.session: a
// restarted service worker picks up where the old one stopped.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import type { CopyStats } from '../lib/copy-stats'
import { canMove, type Phase, type TabState } from '../lib/tab-state'
import { showBadge } from './badge'
import { withoutFragment } from '../protocol/format'
import type { Discovery } from '../lib/discovery'

const STATE_PREFIX = 'tab-state:'
const stateKey = (tabId: number): string => `${STATE_PREFIX}${tabId}`
/** This background instance: a lookup is tagged with it, so a later instance knows it was cut off. */
const THIS_WORKER = crypto.randomUUID()
const discoveryKey = (tabId: number): string => `tab-discovery:${tabId}`
const statsKey = (tabId: number): string => `tab-stats:${tabId}`

// Tabs closed in this background's lifetime: a viewer's last report, sent as its tab closed, may
// arrive after the tab's state was forgotten, and must not bring it back.
const closed = new Set<number>()

export async function tabState (tabId: number): Promise<TabState | null> {
  return ((await browser.storage.session.get(stateKey(tabId)))[stateKey(tabId)] as TabState | undefined) ?? null
}

/** Moves a tab to a phase if the state machine allows it; returns whether it moved. */
export async function moveTab (tabId: number, phase: Phase, url: string, message?: string): Promise<boolean> {
  const current = await tabState(tabId)
  if (closed.has(tabId) || !canMove(current?.phase ?? null, phase)) return false
  const state: TabState = { phase, url, since: Date.now(), ...(message !== undefined && { message }), ...(phase === 'looking-up' && { worker: THIS_WORKER }) }
  await browser.storage.session.set({ [stateKey(tabId)]: state })
  await showBadge(tabId, state, state.phase === 'seeding' ? await tabStats(tabId) : null)
  return true
}

/**
 * Tabs whose lookup an earlier background instance started and never finished (Chrome stopped the
 * worker: CDP, an update, a crash), still showing the page that failed.
 */
export async function interruptedLookups (): Promise<Array<{ tabId: number, url: string }>> {
  const all = await browser.storage.session.get(null)
  const lookups = Object.entries(all).flatMap(([key, value]) => {
    const state = value as TabState
    return key.startsWith(STATE_PREFIX) && state.phase === 'looking-up' && state.worker !== THIS_WORKER
      ? [{ tabId: Number(key.slice(STATE_PREFIX.length)), url: state.url }]
      : []
  })
  const open = await Promise.all(lookups.map(async ({ tabId, url }) => {
    const tab = await browser.tabs.get(tabId).catch(() => null)
    return tab?.url !== undefined && withoutFragment(tab.url) === url && (tab as { pendingUrl?: string }).pendingUrl === undefined
  }))
  return lookups.filter((_, index) => open[index])
}

export async function rememberDiscovery (tabId: number, discovery: Discovery): Promise<void> {
  if (closed.has(tabId)) return
  await browser.storage.session.set({ [discoveryKey(tabId)]: discovery })
}

export async function discoveryFor (tabId: number, url: string): Promise<Discovery | null> {
  const discovery = (await browser.storage.session.get(discoveryKey(tabId)))[discoveryKey(tabId)] as Discovery | undefined
  return discovery?.url === url ? discovery : null
}

export async function forgetTabState (tabId: number): Promise<void> {
  closed.add(tabId)
  await browser.storage.session.remove([stateKey(tabId), discoveryKey(tabId), statsKey(tabId)])
}

export async function tabStats (tabId: number): Promise<CopyStats | null> {
  return ((await browser.storage.session.get(statsKey(tabId)))[statsKey(tabId)] as CopyStats | undefined) ?? null
}

/** From the viewer, each second: kept for the popup, and shown on the badge (with the peer count). */
export async function rememberStats (tabId: number, stats: CopyStats): Promise<void> {
  if (closed.has(tabId)) return
  await browser.storage.session.set({ [statsKey(tabId)]: stats })
  // Each second, not only on a change: a browser may clear a tab's badge when it navigates.
  const state = await tabState(tabId)
  if (state !== null) await showBadge(tabId, state, stats)
}

/** Sends a tab to the viewer; where the browser can, the viewer takes the failed page's history entry. */
export async function showViewer (tabId: number, viewerUrl: string): Promise<void> {
  await browser.tabs.update(tabId, platform.replacesHistoryEntries ? { url: viewerUrl, loadReplace: true } : { url: viewerUrl })
}
