// A page that has not answered within the slow threshold: look for a copy while it keeps loading.
// The real page is never thrown away for it: the tab moves to `offered`, and the popup offers the
// copy; if the page answers first, nothing else happens.
import browser from 'webextension-polyfill'
import type { Settings } from '../lib/settings'
import { findTorrent, type DiscoveryDeps } from './discovery'
import { decideFailover } from './failover-policy'
import { moveTab, rememberDiscovery, tabState } from './tab-states'

const answeredKey = (tabId: number): string => `answered:${tabId}`

interface Answer { url: string, at: number }

/**
 * The page in this tab got an answer (any status), committed, or failed outright: it is not
 * stalled. `at` is the event's own time stamp, so the order of the async writes does not matter.
 */
export async function markAnswered (tabId: number, url: string, at: number): Promise<void> {
  await browser.storage.session.set({ [answeredKey(tabId)]: { url, at } satisfies Answer })
}

async function answeredSince (tabId: number, url: string, since: number): Promise<boolean> {
  const answer = (await browser.storage.session.get(answeredKey(tabId)))[answeredKey(tabId)] as Answer | undefined
  return answer !== undefined && answer.url === url && answer.at >= since
}

/** `startedAt`: the navigation's own time stamp (webNavigation.onBeforeNavigate). */
export function watchForStall (tabId: number, url: string, startedAt: number, settings: Settings, deps: () => DiscoveryDeps): void {
  if (!settings.failoverOnSlow || !decideFailover(url, { kind: 'navigation-error', failure: 'timeout' }, settings).go) return
  // Short enough to outlive the worker's idle limit; the check reads everything back from storage.
  setTimeout(() => { void checkStall(tabId, url, startedAt, deps).catch(() => {}) }, settings.slowThresholdSeconds * 1000)
}

async function checkStall (tabId: number, url: string, startedAt: number, deps: () => DiscoveryDeps): Promise<void> {
  const state = await tabState(tabId)
  if (await answeredSince(tabId, url, startedAt) || state?.phase !== 'watching' || state.url !== url) return
  const discovery = await findTorrent(url, undefined, deps())
  // The page may have answered while we looked.
  if (await answeredSince(tabId, url, startedAt)) return
  if (discovery.torrent === null) return
  await rememberDiscovery(tabId, discovery)
  await moveTab(tabId, 'offered', url, 'The site is slow to answer; a copy from other readers is ready to open.')
}
