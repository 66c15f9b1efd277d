// The viewer: the extension page a failed-over tab shows. It opens the tab's copy (from peers, or
// from mirrors), has it rendered (renderer.ts) or shown as a file (show-file.ts), seeds it while
// the tab is open (seeding-policy.ts), and tells the reader what is going on (banner.ts).
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import { mayKeep } from '../lib/kept'
import { foundForThisUrl, whyNoCopy } from '../lib/discovery'
import { receiveHandoff } from '../lib/handoff'
import { localize, t } from '../lib/i18n'
import { listen, send } from '../lib/messages'
import { NoGoodMirror, rejectedWords } from '../lib/mirror-faults'
import { markMoment, type Moment } from '../lib/moments'
import { problemWords } from '../lib/problem-words'
import type { Settings } from '../lib/settings'
import { watchSettings } from '../lib/settings-store'
import { fetchContext } from '../lib/site-fetch'
import type { Phase } from '../lib/tab-state'
import { originalUrl, viewerUrl, wantsHandoff } from '../lib/viewer-url'
import type { Digests } from '../protocol/digests'
import type { FetchContext } from '../protocol/fetch-policy'
import { formatBytes, formatFixed, formatNumber } from '../protocol/format'
import { mimeType } from '../protocol/mime'
import { digestMismatch } from '../protocol/verify-digests'
import { fetchFromMirrors, mirrorAssets, usableMirrors } from '../copy/mirror-copy'
import { loadWebTorrent, openPeerCopy, type PeerCopy } from '../copy/peer-copy'
import { banner, describeSource } from './banner'
import { fileKind, type FileKind } from './file-kind'
import { bytesSource, torrentFileSource, type FileSource } from './file-source'
import type { Files } from '../render/renderer'
import { copyAge } from './copy-age'
import { pageIdentity } from './page-identity'
import { keepCopy } from './keep-copy'
import { mayUpload, seedingPolicy } from './seeding-policy'
import { siteIsBack, siteProbe } from './site-probe'
import { fileBox, showFile } from './show-file'

/**
 * The prefetch host answers once it has the page's document (or after 1.5 s with what it has);
 * with no answer after this, the viewer fetches the copy from peers anew.
 */
const HANDOFF_WAIT_MS = 2000

/** Everything this viewer knows about its tab's copy. */
interface Session {
  /** The page on screen (the one asked for, then the pages of the copy the reader follows). */
  page: string | null
  settings: Settings | null
  copy: PeerCopy | null
  uploading: boolean
  /** The copy is on screen (the tab's phase is showing or seeding, no longer fetching). */
  shown: boolean
}

const session: Session = { page: originalUrl(location.search), settings: null, copy: null, uploading: true, shown: false }
const extensionRoot = browser.runtime.getURL('')
// Asked first thing, while the rest of the viewer loads: the settings, and the copy the background found for this tab.
const asked = session.page === null ? null : Promise.all([send('background', 'settings', {}), send('background', 'copyFor', { url: session.page })])

let reports = Promise.resolve()
/**
 * Tells the background (the popup, the badge) the tab's phase, in order, and nothing waits for it;
 * the banner's status carries the phase's mark, as the popup's does.
 */
function report (phase: Phase, message?: string): void {
  banner.phase(phase)
  const url = session.page
  if (url !== null) reports = reports.then(async () => { await send('background', 'reportPhase', { phase, url, ...(message !== undefined && { message }) }).catch(() => {}) })
}

function fail (message: string): void {
  banner.error(message, () => { void retrySite() })
  report('error', message)
}

async function retrySite (): Promise<void> {
  if (session.page === null) return
  const url = session.page
  await send('background', 'retrySite', { url }).catch(() => {})
  location.href = url
}

function stopUploading (): void {
  if (!session.uploading) return
  session.uploading = false
  session.copy?.stopUploading()
  if (session.shown) report('showing')
}

function showAddress (url: string): void {
  session.page = url
  banner.address(url)
}

/** Once a second: the copy's figures in the banner and the popup, and what the seeding policy says. */
function watchStats (current: PeerCopy, settings: Settings): void {
  let now = settings
  // A change in the settings applies at once: a lower ratio target, a limit, sharing turned off.
  watchSettings((next) => {
    now = next
    current.setUploadLimit(next.uploadLimitKiBps)
    if (!mayUpload(next)) stopUploading()
  })
  if (!mayUpload(settings)) stopUploading()
  const policy = seedingPolicy(Date.now())
  setInterval(() => {
    const { torrent } = current
    const decision = policy.tick({ now: Date.now(), downloaded: torrent.downloaded, uploaded: torrent.uploaded, length: torrent.length, done: torrent.done }, now)
    if (decision.lookForPeers) current.lookForPeers()
    if (decision.stopUploading) stopUploading()
    banner.noOneSharing(decision.noOneSharing)
    banner.progressValue(torrent.progress)
    const ratio = formatFixed(decision.ratio, 2)
    const ratioText = now.ratioTarget > 0 ? t('statRatioOf', ratio, now.ratioTarget) : t('statRatioNoLimit', ratio)
    const { badPieces, droppedPeers } = current.integrity()
    banner.stats(t('viewerStats', formatNumber(torrent.numPeers), formatBytes(torrent.downloaded), formatBytes(torrent.uploaded), ratioText) +
      (badPieces > 0 ? ` · ${t('statBadPiecesValue', badPieces, droppedPeers)}` : ''),
    { peers: torrent.numPeers, downloaded: torrent.downloaded, received: torrent.received, uploaded: torrent.uploaded, done: torrent.done, badPieces, droppedPeers })
    void send('background', 'reportStats', {
      peers: torrent.numPeers,
      downloaded: torrent.downloaded,
      uploaded: torrent.uploaded,
      downloadSpeed: torrent.downloadSpeed,
      uploadSpeed: torrent.uploadSpeed,
      progress: torrent.progress,
      length: torrent.length,
      ratioTarget: now.ratioTarget,
      uploading: session.uploading,
      badPieces,
      droppedPeers,
      source: banner.sourceText()
    }).catch(() => {})
  }, 1000)
}

let shown: () => void = () => {}
/** Settles once the first page of the copy is on screen. */
const onScreen = new Promise<void>((resolve) => { shown = resolve })
void onScreen.then(watchSite)

/** Asks the site now and then whether it is back (site-probe.ts); says so once it is. */
function watchSite (): void {
  const url = session.page
  if (url === null) return
  const probe = siteProbe(Date.now())
  const timer = setInterval(() => {
    if (!probe.due(Date.now(), document.visibilityState === 'visible')) return
    // The page's own address, as the reader asked for it: no cookies, no body, no redirect followed.
    fetch(url, { method: 'HEAD', credentials: 'omit', cache: 'no-store', redirect: 'manual' })
      .then((response) => siteIsBack(response.status, session.settings?.failoverStatuses ?? []), () => false)
      .then((back) => {
        probe.answered(Date.now(), back)
        if (!back) return
        clearInterval(timer)
        banner.siteBack(new URL(url).host, () => { void retrySite() })
      }).catch(() => {})
  }, 5000)
}

/** The tab's title and icon become the copy's own (read before the page is handed to the renderer). */
function showIdentity (url: string, html: ArrayBuffer, files: Files): void {
  const { title, iconPath } = pageIdentity(html, url)
  banner.identity(title ?? t('viewerTitle', url), null)
  if (iconPath === null) return
  // Once the page is on screen: the icon never delays it (nor starts a handed-over copy's client early).
  onScreen.then(async () => await files(iconPath)).then((bytes) => {
    if (bytes !== null) banner.identity(title ?? t('viewerTitle', url), URL.createObjectURL(new Blob([bytes], { type: mimeType(iconPath) })))
  }).catch(() => {})
}

function rendered (scriptsRan: boolean): void {
  markMoment('rendered')
  shown()
  banner.status(scriptsRan ? t('viewerShowing') : t('viewerShowingNoScripts'))
  banner.progress(null)
  session.shown = true
  report(session.uploading ? 'seeding' : 'showing')
}

// Chosen once: the sandbox page (Chrome) loads after the WebTorrent bundle, which the copy needs
// first — unless the prefetch host hands the copy over: its document is shown first, and the
// bundle loads for the copy's own client after. A viewer with no page to show loads neither.
const handedOver = wantsHandoff(location.search)
const bundle = session.page === null
  ? new Promise<void>(() => {})
  : handedOver ? Promise.resolve() : loadWebTorrent().catch(() => {}) // a failure shows when the copy opens
const renderer = platform.createRenderer(banner.copyArea(), t('frameTitle', session.page ?? ''), bundle, {
  rendered,
  navigate,
  left: (shownAt) => { void frameLeft(shownAt) }
})

/**
 * The copy's frame loaded something by itself: a same-site link clicked in Firefox's copy (it
 * navigates its frame), shown from the copy; anything else is the copy gone.
 */
async function frameLeft (shownAt: number): Promise<void> {
  const went = await send('background', 'copyFrameWent', { since: shownAt }).catch(() => null)
  if (went !== null && session.page !== null && new URL(went).origin === new URL(session.page).origin) navigate(went)
  else fail(t('viewerCopyNavigated'))
}

/** The copy asked to go to `url`: another page of the site from the same copy, or, after the reader confirms, elsewhere. */
function navigate (url: string): void {
  const target = new URL(url)
  if (session.page !== null && target.origin === new URL(session.page).origin) {
    history.pushState(null, '', viewerUrl(extensionRoot, target.href))
    void showPage(target.href)
  } else if (/^https?:$/.test(target.protocol)) {
    // The copy's scripts can post this message as well as its links can.
    banner.offerLeaving(target.href)
  }
}

/** Another page of the copy on screen; a path the copy does not hold is asked of the site anew. */
async function showPage (url: string): Promise<void> {
  const { copy } = session
  // A copy from a mirror holds one page: ask the site (and, if it fails, Peerback) anew.
  const path = new URL(url).pathname
  const file = copy?.target(path) ?? null
  if (copy === null || file === null) {
    location.href = url
    return
  }
  showAddress(url)
  // A link to a PDF, an image or a video in the copy shows that file, as it would have from the site.
  const { kind, type } = fileKind(file.path)
  if (kind !== 'page') {
    // Beside the copy's frame, which stays (hidden) for "back" to the page.
    await showTarget(kind, type, torrentFileSource(file), {}, { besideFrame: true })
    return
  }
  const html = await copy.file(path)
  if (html === null) {
    location.href = url
    return
  }
  banner.copyArea().querySelector('#file')?.remove()
  const files: Files = async (asset) => (await copy.file(asset, true))?.bytes ?? null
  showIdentity(url, html.bytes, files)
  await renderer.render(url, html.bytes, files)
}

async function start (): Promise<void> {
  markMoment('viewer-start')
  const original = session.page
  if (original === null) {
    fail(t('viewerNoAddress'))
    return
  }
  showAddress(original)
  banner.onRetrySite(() => { void retrySite() })
  banner.onCopyLinks(() => session.page, () => session.copy?.torrent.magnetURI ?? null)

  // Everything the copy will need is under way: the WebTorrent bundle (and the sandbox frame after
  // it: 60 ms sooner to the first byte, docs/benchmarks.md), the settings and the discovery.
  if (asked === null) return
  const [settings, discovery] = await asked
  session.settings = settings
  const context = fetchContext(original, settings)
  const mirrors = usableMirrors(discovery.mirrors, context)
  if (discovery.torrent === null) {
    if (mirrors.length > 0) await fromMirrors(original, context, mirrors, discovery.digests, settings)
    else fail(whyNoCopy(discovery, t))
    return
  }
  banner.source(describeSource(discovery.torrent))
  if (discovery.torrent.pinConflict !== undefined) await banner.readerChooses(new URL(original).host, discovery.torrent.pinConflict.seenAt)
  banner.status(t('viewerFetching'))
  banner.progress(0)
  report('fetching')
  let copy: PeerCopy
  // Set when the prefetch host handed over the page's document, shown before the copy's own client runs.
  let shownEarly: Promise<void> | null = null
  try {
    // The tab came here from a race the copy won: the prefetch host holds it already.
    const handoff = handedOver ? await receiveHandoff(original, HANDOFF_WAIT_MS) : null
    if (handoff !== null) markMoment('handed-over')
    const handedBytes = handoff?.pieces.some((piece) => piece !== null) === true
    for (const [moment, at] of Object.entries(handoff?.moments ?? {})) markMoment(moment as Moment, at)
    if (handedBytes && handoff?.moments['first-byte'] === undefined) markMoment('first-byte')
    history.replaceState(null, '', viewerUrl(extensionRoot, original))
    const found = discovery.torrent
    let opening: Promise<PeerCopy> | null = null
    // A copy to keep sharing goes to disk as it comes (keep-copy.ts), but for one handed over.
    const keeping = handoff === null && mayKeep(original, settings) && !browser.extension.inIncognitoContext
    const open = async (): Promise<PeerCopy> => await (opening ??= openPeerCopy(original, found.pointer, settings, foundForThisUrl(found), handoff, mirrors, keeping ? 'fetch' : null))
    // The copy's own client (and the WebTorrent bundle) starts once the handed document is on
    // screen, or as soon as the page asks for one of its files: not while it renders.
    if (handoff?.document != null && fileKind(handoff.document.path).kind === 'page') {
      shownEarly = showHanded(original, handoff.document, open, discovery.digests)
      await shownEarly
    }
    copy = await open()
    session.copy = copy
    copy.onFailure((error) => { fail(problemWords(error, t)) })
    if (handoff?.moments.metadata === undefined) markMoment('metadata')
    if (copy.mirrors.length > 0) banner.source(t('sourceWithMirrors', banner.sourceText(), copy.mirrors.map((mirror) => new URL(mirror).host).join(', ')))
    if (!handedBytes) copy.torrent.once('download', () => { markMoment('first-byte') })
    if (copy.torrent.done) markMoment('complete')
    else copy.torrent.once('done', () => { markMoment('complete') })
  } catch (error) {
    fail(problemWords(error, t))
    return
  }
  banner.magnetKnown()
  const created = copy.torrent.created
  const seenAt = discovery.torrent.seenAt
  // How old the copy is: when its torrent was made (a magnet's metadata does not say), else the
  // page's Last-Modified when its pointer was seen.
  const madeAt = created instanceof Date && !Number.isNaN(created.getTime()) ? created.getTime() : discovery.torrent.modifiedAt
  if (madeAt !== undefined) banner.age(t('copyMade', copyAge(madeAt, Date.now(), navigator.language) ?? t('justNow')))
  banner.snapshot(created instanceof Date && !Number.isNaN(created.getTime())
    ? t('snapshotOf', created.toLocaleString())
    : seenAt !== undefined ? t('pointerSeen', new Date(seenAt).toLocaleString()) : '')
  watchStats(copy, settings)
  keepCopy(copy, original, settings)
  if (shownEarly !== null) return

  const target = copy.target(new URL(original).pathname)
  if (target === null) {
    fail(t('viewerNoFile', new URL(original).pathname))
    return
  }
  const { kind, type } = fileKind(target.path)
  if (kind !== 'page') {
    await showTarget(kind, type, torrentFileSource(target), discovery.digests)
    return
  }
  const html = await copy.file(new URL(original).pathname)
  if (html === null) return
  markMoment('document')
  const mismatch = await digestMismatch(html.bytes, discovery.digests)
  if (mismatch !== null) {
    fail(mismatch)
    return
  }
  const files: Files = async (path) => (await copy.file(path, true))?.bytes ?? null
  showIdentity(original, html.bytes, files)
  await renderer.render(original, html.bytes, files)
}

/**
 * The page's document as the prefetch host checked it: on screen at once, its assets from the
 * copy's own client once that has opened (with the host's pieces in its store).
 */
async function showHanded (original: string, document: { path: string, bytes: ArrayBuffer }, open: () => Promise<PeerCopy>, digests: Digests): Promise<void> {
  const mismatch = await digestMismatch(document.bytes, digests)
  if (mismatch !== null) {
    fail(mismatch)
    return
  }
  const files: Files = async (path) => {
    const copy = await open().catch(() => null)
    return (await copy?.file(path, true))?.bytes ?? null
  }
  showIdentity(original, document.bytes, files)
  await renderer.render(original, document.bytes, files)
  await onScreen
}

/** A file that is not a page: shown, played or saved (src/viewer/show-file.ts). */
async function showTarget (kind: Exclude<FileKind, 'page'>, type: string, source: FileSource, digests: Digests, { besideFrame = false } = {}): Promise<void> {
  const shownFile = fileBox(source.path, source.length)
  const area = banner.copyArea()
  if (besideFrame) {
    area.querySelector('#file')?.remove()
    for (const frame of area.querySelectorAll('iframe')) frame.hidden = true
    area.append(shownFile.box)
  } else {
    area.replaceChildren(shownFile.box)
  }
  banner.progress(null)
  const done = (status: string): void => {
    banner.status(status)
    session.shown = true
    report(session.uploading ? 'seeding' : 'showing')
  }
  // Media play before the file is complete: say so as soon as they do.
  shownFile.content.addEventListener('playing', () => { if (!session.shown) done(t('fileShownMedia')) }, { capture: true })
  try {
    const result = await showFile(shownFile.content, kind, type, source, digests, shownFile.progress)
    markMoment('rendered')
    shownFile.finish(result)
    done(result.status)
  } catch (error) {
    fail(problemWords(error, t))
  }
}

/** No torrent, but the site named mirrors on a healthy visit: the copy comes from the first good one. */
async function fromMirrors (original: string, context: FetchContext, mirrors: string[], digests: Digests, settings: Settings): Promise<void> {
  session.uploading = false // nothing to seed
  banner.status(t('viewerFetching'))
  banner.progress(0)
  report('fetching')
  const host = (url: string): string => new URL(url).host
  let found
  try {
    found = await fetchFromMirrors(mirrors, context, digests, settings.maxCopyBytes, (mirror, done, total) => {
      banner.source(t('mirrorsFetching', host(mirror)))
      if (total !== null && total > 0) banner.progress(done / total)
    })
  } catch (error) {
    fail(error instanceof NoGoodMirror ? t('mirrorsNoneGood', rejectedWords(error.rejected, t)) : problemWords(error, t))
    return
  }
  const rejected = rejectedWords(found.rejected, t)
  const mirrorPath = new URL(found.mirror).pathname
  const { kind, type } = fileKind(mirrorPath, found.contentType)
  // The site's digest covers the file the mirror served, never the files a page then loads from it.
  const checked = !found.checked ? t('mirrorUnchecked') : kind === 'page' ? t('mirrorPageChecked') : t('mirrorFileChecked')
  banner.servedBy(host(found.mirror))
  banner.source([t('sourceMirror', host(found.mirror)), checked, ...(rejected === '' ? [] : [t('mirrorsRejected', rejected)])].join(' · '),
    { mirror: found.mirror, rejected: found.rejected.map(({ mirror }) => mirror).join(' ') })
  if (kind !== 'page') {
    await showTarget(kind, type, bytesSource(mirrorPath, found.parts), {})
    return
  }
  const html = await new Blob(found.parts as BlobPart[]).arrayBuffer()
  markMoment('document')
  const files: Files = mirrorAssets(found.mirror, original, context, settings.maxCopyBytes - html.byteLength)
  showIdentity(original, html, files)
  await renderer.render(original, html, files)
}

window.addEventListener('popstate', () => {
  const url = originalUrl(location.search)
  if (url !== null) void showPage(url)
})
window.addEventListener('pagehide', () => { session.copy?.destroy() })
// Back to a viewer the browser kept in its back/forward cache: its copy was destroyed on the way
// out, so it starts again rather than show a frozen one.
window.addEventListener('pageshow', (event) => { if (event.persisted) location.reload() })
let thisTab: number | undefined
void browser.tabs.getCurrent().then((tab) => { thisTab = tab?.id })
listen('viewer', {
  // Every viewer hears it; only the one in that tab answers.
  stopSeeding: ({ tabId }) => {
    if (tabId !== thisTab) return undefined
    stopUploading()
    return Promise.resolve(true)
  }
})
localize(document)
start().catch((error: unknown) => { fail(t('viewerFailed', String(error))) })
