// A page that has not answered within the slow threshold races its peer copy (docs/protocol.md): the
// copy is fetched in the prefetch host while the page keeps loading, and the tab switches to it
// only once it is ready. If the page answers first, the copy is dropped. With automatic failover
// off, the copy is only offered in the popup.
import browser from 'webextension-polyfill'
import { t } from '../lib/i18n'
import type { Settings } from '../lib/settings'
import { viewerUrl } from '../lib/viewer-url'
import { findTorrent, type DiscoveryDeps } from './discovery'
import { decideFailover } from './failover-policy'
import { leftCopy, noteNavigation } from './left-copy'
import { isNonGet } from './main-frame'
import { endRace, raceOf, raceSwitched, startRace } from './race'
import { moveTab, rememberDiscovery, showViewer, tabState } from './tab-states'

const answeredKey = (tabId: number): string => `answered:${tabId}`

// Navigation events of one tab are handled one after another, in the order they came: the storage
// writes of one event never interleave with another's reads.
const queues = new Map<number, Promise<unknown>>()
export function inTabOrder<T> (tabId: number, step: () => Promise<T>): Promise<T> {
  const next = (queues.get(tabId) ?? Promise.resolve()).then(step, step)
  queues.set(tabId, next.catch(() => undefined))
  return next
}

async function answered (tabId: number, url: string): Promise<boolean> {
  return (await browser.storage.session.get(answeredKey(tabId)))[answeredKey(tabId)] === url
}

// Which page each tab answered with, known in this worker's lifetime: a page answers twice (its
// response headers, then its commit), and the second time needs no storage round trips.
const answeredHere = new Map<number, string>()

/** A navigation starts: the tab is watched afresh, and any copy raced for its last page dropped. */
export async function navigationStarted (tabId: number, url: string): Promise<void> {
  answeredHere.delete(tabId)
  await inTabOrder(tabId, async () => {
    await browser.storage.session.remove(answeredKey(tabId))
    await endRace(tabId)
    await noteNavigation(tabId, url, await tabState(tabId))
    await moveTab(tabId, 'watching', url)
  })
}

/** The page answered or committed: it is not stalled, and a copy raced for it is not needed. */
export async function pageAnswered (tabId: number, url: string): Promise<void> {
  if (answeredHere.get(tabId) === url) return
  answeredHere.set(tabId, url)
  await inTabOrder(tabId, async () => {
    await browser.storage.session.set({ [answeredKey(tabId)]: url })
    const race = await raceOf(tabId)
    if (race !== null && race.url === url && !race.switched) await endRace(tabId)
    const state = await tabState(tabId)
    const waitingForCopy = state?.phase === 'offered' || (race?.url === url && !race.switched)
    if (waitingForCopy && state?.url === url) await moveTab(tabId, 'watching', url)
  })
}

/** The page failed: not stalled any more, but a copy raced for it is exactly what failover wants. */
export async function pageFailed (tabId: number, url: string): Promise<void> {
  await inTabOrder(tabId, async () => { await browser.storage.session.set({ [answeredKey(tabId)]: url }) })
}

export function watchForStall (tabId: number, url: string, settings: Settings, deps: () => DiscoveryDeps): void {
  if (!settings.failoverOnSlow || !decideFailover(url, { kind: 'navigation-error', failure: 'timeout' }, settings).go) return
  // Short enough to outlive the worker's idle limit; the check reads everything back from storage.
  setTimeout(() => { void checkStall(tabId, url, settings, deps).catch(() => {}) }, settings.slowThresholdSeconds * 1000)
}

async function stillWaiting (tabId: number, url: string): Promise<boolean> {
  const state = await tabState(tabId)
  // A slow form submission (a checkout) is the reader's to wait for: never raced.
  return !await answered(tabId, url) && state?.phase === 'watching' && state.url === url && !await isNonGet(tabId, url)
}

async function checkStall (tabId: number, url: string, settings: Settings, deps: () => DiscoveryDeps): Promise<void> {
  if (!await inTabOrder(tabId, async () => await stillWaiting(tabId, url))) return
  // A page that is merely slow is looked up in DNS only if the reader opted into lookups of pages
  // that have not failed (pre-warming): the resolver would otherwise learn of every slow page.
  const discovery = await findTorrent(url, undefined, { ...deps(), lookupDns: settings.prewarmPointers })
  const torrent = discovery.torrent
  if (torrent === null) {
    const why = t(settings.prewarmPointers ? 'stateSlowNothingPublished' : 'stateSlowNotLookedUp')
    await inTabOrder(tabId, async () => { if (await stillWaiting(tabId, url)) await moveTab(tabId, 'watching', url, why) })
    return
  }
  // A copy DNS names against the site's own HTTPS word is not fetched behind the reader's back:
  // the slow page keeps loading, and if it fails, the viewer asks first.
  if (torrent.pinConflict !== undefined) return
  await inTabOrder(tabId, async () => {
    if (!await stillWaiting(tabId, url)) return // it answered while we looked
    await rememberDiscovery(tabId, discovery)
    if (!settings.autoFailover || await leftCopy(tabId, url)) {
      await moveTab(tabId, 'offered', url, t('stateSlowOffered'))
      return
    }
    await moveTab(tabId, 'fetching', url, t('stateSlowFetching'))
    await startRace(tabId, { ...discovery, torrent }, settings)
  })
}

/** From the prefetch host: the copy is ready. The tab switches to it if the page still has not answered. */
export async function copyReady (tabId: number, url: string): Promise<boolean> {
  return await inTabOrder(tabId, async () => {
    const race = await raceOf(tabId)
    if (race === null || race.url !== url || race.switched) return false
    await raceSwitched(tabId, race)
    await showViewer(tabId, viewerUrl(browser.runtime.getURL(''), url, { handoff: true }))
    return true
  })
}

/** From the prefetch host: it no longer holds the copy (the viewer took it, or fetching failed). */
export async function copyEnded (tabId: number, url: string, failure: string | undefined): Promise<boolean> {
  return await inTabOrder(tabId, async () => {
    const race = await raceOf(tabId)
    if (race === null || race.url !== url) return false
    await endRace(tabId)
    if (failure !== undefined && !race.switched) await moveTab(tabId, 'watching', url, t('stateSlowNoCopy', failure))
    return true
  })
}
