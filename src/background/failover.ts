// A page failed: is there a copy? If so, open it in the viewer (or offer it, when automatic
// failover is off). If not, leave the browser's own error page alone and say why in the popup.
import browser from 'webextension-polyfill'
import { t } from '../lib/i18n'
import { markMoment } from '../lib/moments'
import type { Settings } from '../lib/settings'
import { viewerUrl } from '../lib/viewer-url'
import type { RawHeader } from '../protocol/pointer-headers'
import { whyNoCopy } from '../lib/discovery'
import { findTorrent, type DiscoveryDeps } from './discovery'
import { decideFailover, type Trigger } from './failover-policy'
import { endRace, raceOf, raceSwitched } from './race'
import { inTabOrder } from './stall-watch'
import { leftCopy } from './left-copy'
import { moveTab, rememberDiscovery, showViewer, tabState } from './tab-states'

/**
 * `bookkeeping`: the failure's own records (still being written); the lookup does not wait for
 * them, the tab's next state does.
 */
export async function failOver (tabId: number, url: string, trigger: Trigger, responseHeaders: RawHeader[] | undefined, settings: Settings, deps: DiscoveryDeps, bookkeeping: Promise<unknown>): Promise<void> {
  if (!decideFailover(url, trigger, settings).go) {
    await bookkeeping
    // A slow page that answered after all, with an error that is not an outage (a plain 500).
    await inTabOrder(tabId, async () => { if ((await raceOf(tabId))?.url === url) await endRace(tabId) })
    return
  }
  // The popup's "looking up" and the lookup itself, side by side.
  const [, discovery] = await Promise.all([bookkeeping.then(async () => { await moveTab(tabId, 'looking-up', url) }), findTorrent(url, responseHeaders, deps)])
  await rememberDiscovery(tabId, discovery)
  // No torrent, but mirrors the site named: the viewer fetches from them (docs/protocol.md, Mirrors).
  if (discovery.torrent === null && discovery.mirrors.length === 0) {
    await moveTab(tabId, 'no-copy', url, whyNoCopy(discovery, t))
    return
  }
  markMoment('copy-found')
  if (!settings.autoFailover) {
    await moveTab(tabId, 'offered', url)
    return
  }
  if (await leftCopy(tabId, url)) {
    await moveTab(tabId, 'offered', url, t('stateLeftCopy'))
    return
  }
  await inTabOrder(tabId, async () => {
    // The reader went on to another page while the copy was looked up: that page is theirs.
    if ((await tabState(tabId))?.url !== url) return
    // A page that was slow first: the prefetch host may already hold (part of) its copy.
    const race = await raceOf(tabId)
    const handoff = race?.url === url
    if (race !== null && handoff) {
      if (race.switched) return
      await raceSwitched(tabId, race)
    }
    await moveTab(tabId, 'fetching', url)
    await showViewer(tabId, viewerUrl(browser.runtime.getURL(''), url, { handoff }))
    markMoment('viewer-opened')
  })
}
