// A page that has not answered within the slow threshold: look for a copy while it keeps loading.
// The real page is never thrown away for it: the tab moves to `offered`, and the popup offers the
// copy; if the page answers, the offer is taken back.
import browser from 'webextension-polyfill'
import type { Settings } from '../lib/settings'
import { findTorrent, type DiscoveryDeps } from './discovery'
import { decideFailover } from './failover-policy'
import { moveTab, rememberDiscovery, tabState } from './tab-states'

const answeredKey = (tabId: number): string => `answered:${tabId}`

// Navigation events of one tab are handled one after another, in the order they came: the storage
// writes of one event never interleave with another's reads.
const queues = new Map<number, Promise<unknown>>()
function inTabOrder<T> (tabId: number, step: () => Promise<T>): Promise<T> {
  const next = (queues.get(tabId) ?? Promise.resolve()).then(step, step)
  queues.set(tabId, next.catch(() => undefined))
  return next
}

async function answered (tabId: number, url: string): Promise<boolean> {
  return (await browser.storage.session.get(answeredKey(tabId)))[answeredKey(tabId)] === url
}

/** A navigation starts: the tab is watched afresh. */
export async function navigationStarted (tabId: number, url: string): Promise<void> {
  await inTabOrder(tabId, async () => {
    await browser.storage.session.remove(answeredKey(tabId))
    await moveTab(tabId, 'watching', url)
  })
}

/** The page answered (any status), committed, or failed outright: it is not stalled. */
export async function pageAnswered (tabId: number, url: string): Promise<void> {
  await inTabOrder(tabId, async () => {
    await browser.storage.session.set({ [answeredKey(tabId)]: url })
    const state = await tabState(tabId)
    // A slow page that arrived after all: the offered copy is no longer needed.
    if (state?.phase === 'offered' && state.url === url) await moveTab(tabId, 'watching', url)
  })
}

export function watchForStall (tabId: number, url: string, settings: Settings, deps: () => DiscoveryDeps): void {
  if (!settings.failoverOnSlow || !decideFailover(url, { kind: 'navigation-error', failure: 'timeout' }, settings).go) return
  // Short enough to outlive the worker's idle limit; the check reads everything back from storage.
  setTimeout(() => { void checkStall(tabId, url, deps).catch(() => {}) }, settings.slowThresholdSeconds * 1000)
}

async function stillWaiting (tabId: number, url: string): Promise<boolean> {
  const state = await tabState(tabId)
  return !await answered(tabId, url) && state?.phase === 'watching' && state.url === url
}

async function checkStall (tabId: number, url: string, deps: () => DiscoveryDeps): Promise<void> {
  if (!await inTabOrder(tabId, async () => await stillWaiting(tabId, url))) return
  const discovery = await findTorrent(url, undefined, deps())
  if (discovery.torrent === null) return
  await inTabOrder(tabId, async () => {
    if (!await stillWaiting(tabId, url)) return // it answered while we looked
    await rememberDiscovery(tabId, discovery)
    await moveTab(tabId, 'offered', url, 'The site is slow to answer; a copy from other readers is ready to open.')
  })
}
