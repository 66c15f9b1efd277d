// The prefetch host: a page outside any tab (Chrome: an offscreen document; Firefox: a frame in the
// background page) that fetches the copy of a page that is slow to answer while the page itself
// keeps loading, and shares the pages the reader keeps sharing (sharing.ts). It says when the
// copy is ready; the background then switches the tab to the viewer, which takes the pieces over
// (lib/handoff.ts). If the page answers first, it is told to drop the copy.
import { offerHandoffs, type Handoff } from '../lib/handoff'
import { listen, send, type ToPrefetch } from '../lib/messages'
import type { Moment } from '../lib/moments'
import { digestMismatch } from '../protocol/verify-digests'
import { openPeerCopy, type PeerCopy } from '../copy/peer-copy'
import { share, stats, unshare, warm } from './sharing'

/** Assets may come a little after the document; the tab waits this much longer for them at most. */
const ASSETS_GRACE_MS = 3000
/** A ready copy no viewer came for (the tab closed as it switched): dropped after this. */
const UNCLAIMED_MS = 60_000
/**
 * A viewer that asks before the page's document is here waits this long for it at most, then
 * takes what there is and fetches the rest itself.
 */
const HANDOFF_PATIENCE_MS = 1500

interface Race {
  url: string
  copy: PeerCopy | null
  /** Settles once the page's document is here and checked, or with null when the fetch failed. */
  document: Promise<Handoff['document']>
  documentSettled: (document: Handoff['document']) => void
  moments: Partial<Record<Moment, number>>
}
const races = new Map<number, Race>()

function drop (tabId: number): void {
  const race = races.get(tabId)
  race?.documentSettled(null)
  race?.copy?.destroy()
  races.delete(tabId)
}

async function run ({ tabId, url, pointer, forThisUrl, digests, settings }: ToPrefetch['start']['request']): Promise<void> {
  drop(tabId)
  let documentSettled: Race['documentSettled'] = () => {}
  const documentHere = new Promise<Handoff['document']>((resolve) => { documentSettled = resolve })
  const race: Race = { url, copy: null, document: documentHere, documentSettled, moments: {} }
  races.set(tabId, race)
  const current = (): boolean => races.get(tabId) === race
  try {
    const copy = await openPeerCopy(url, pointer, settings, forThisUrl)
    if (!current()) {
      copy.destroy()
      return
    }
    race.copy = copy
    race.moments.metadata = Date.now()
    copy.torrent.once('download', () => { race.moments['first-byte'] = Date.now() })
    copy.onFailure((error) => {
      race.documentSettled(null)
      if (!current()) return
      drop(tabId)
      void send('background', 'prefetchEnded', { tabId, url, failure: error.message }).catch(() => {})
    })
    if (!settings.shareWhileReading) copy.stopUploading()
    const path = new URL(url).pathname
    const html = await copy.file(path)
    if (html === null) throw new Error(`The copy has no file for ${path}.`)
    const mismatch = await digestMismatch(html.bytes, digests)
    if (mismatch !== null) throw new Error(mismatch)
    race.moments.document = Date.now()
    race.documentSettled(html)
    await copy.settled(ASSETS_GRACE_MS)
    if (!current()) return
    setTimeout(() => {
      if (!current()) return
      drop(tabId)
      void send('background', 'prefetchEnded', { tabId, url }).catch(() => {})
    }, UNCLAIMED_MS)
    await send('background', 'prefetchReady', { tabId, url })
  } catch (error) {
    race.documentSettled(null)
    if (!current()) return
    drop(tabId)
    await send('background', 'prefetchEnded', { tabId, url, failure: error instanceof Error ? error.message : String(error) }).catch(() => {})
  }
}

listen('prefetch', {
  start: (request) => { void run(request); return Promise.resolve(true) },
  cancel: ({ tabId }) => { drop(tabId); return Promise.resolve(true) },
  share: async ({ torrents, settings, uploadLeft, only }) => { await share(torrents, settings, uploadLeft, only); return true },
  unshare: async ({ infoHashes }) => { await unshare(infoHashes); return true },
  warm: async ({ page, pointer, mirrors, settings }) => await Promise.resolve(warm(page, pointer, mirrors, settings)),
  sharingStats: async () => await stats()
})

offerHandoffs(async (url) => {
  for (const [tabId, race] of races) {
    if (race.url !== url) continue
    // A slow page that then failed outright sends its viewer here before the copy may be in:
    // the document first, if it comes soon.
    const document = await Promise.race([race.document, new Promise<'later'>((resolve) => setTimeout(() => { resolve('later') }, HANDOFF_PATIENCE_MS))])
    if (document === null) return null
    if (races.get(tabId) !== race || race.copy === null) return undefined
    return { url, ...await race.copy.handOff(), document: document === 'later' ? null : document, moments: race.moments }
  }
  return undefined
}, (url) => {
  for (const [tabId, race] of races) {
    if (race.url !== url) continue
    drop(tabId)
    void send('background', 'prefetchEnded', { tabId, url }).catch(() => {})
  }
})
