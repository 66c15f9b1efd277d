// The viewer: the extension page a failed-over tab shows. It hosts the tab's WebTorrent client,
// feeds the sandbox frame the files it asks for, and tells the user what is going on.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import { foundForThisUrl, whyNoCopy, type FoundTorrent } from '../lib/discovery'
import { localize, t } from '../lib/i18n'
import type { I18nKey } from '../lib/i18n-keys'
import { markMoment } from '../lib/moments'
import { listen, send } from '../lib/messages'
import type { Settings } from '../lib/settings'
import { watchSettings } from '../lib/settings-store'
import type { Phase } from '../lib/tab-state'
import { receiveHandoff } from '../lib/handoff'
import { fetchContext } from '../lib/site-fetch'
import { originalUrl, viewerUrl, wantsHandoff } from '../lib/viewer-url'
import type { Digests } from '../protocol/digests'
import type { FetchContext } from '../protocol/fetch-policy'
import { formatBytes } from '../protocol/format'
import { digestMismatch } from '../protocol/verify-digests'
import { isFromSandbox, type ToSandbox } from '../render/frame-messages'
import { fileKind, type FileKind } from './file-kind'
import { bytesSource, torrentFileSource, type FileSource } from './file-source'
import { fetchFromMirrors, mirrorAssets, usableMirrors } from '../copy/mirror-copy'
import { loadWebTorrent, openPeerCopy, type PeerCopy } from '../copy/peer-copy'
import { fileBox, showFile } from './show-file'
import { renderSrcdoc } from './srcdoc-frame'

const NO_BYTES_AFTER_MS = 15_000
/**
 * With no bytes for this long, the viewer asks the tracker for peers again, then after twice as
 * long each time (the tracker's own interval is minutes; every offer of the first announce may
 * have failed, as when 20 tabs fail over at once).
 */
const ASK_AGAIN_AFTER_MS = 4000
const ASK_AGAIN_AT_MOST_MS = 60_000
/**
 * The prefetch host answers once it has the page's document (or after 1.5 s with what it has);
 * with no answer after this, the viewer fetches the copy from peers anew.
 */
const HANDOFF_WAIT_MS = 2000
const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement

const SOURCE_WORDS: Record<FoundTorrent['source'], I18nKey> = {
  cache: 'sourceCache',
  response: 'sourceResponse',
  'dns-page': 'sourceDnsPage',
  'dns-site': 'sourceDnsSite',
  negotiated: 'sourceNegotiated'
}

let copy: PeerCopy | null = null
/** The files of the copy on screen, by site path, for the sandbox: from peers or from a mirror. */
let assets: ((path: string) => Promise<ArrayBuffer | null>) | null = null
let uploadStopped = false
/** The copy is on screen (the tab's phase is showing or seeding, no longer fetching). */
let shown = false
/** The popup's "stop seeding this tab". */
let stopSeedingHere = (): void => {}
let settings: Settings
let frame: HTMLIFrameElement | null = null
/** Each render sent to the sandbox frame loads its document once (document.open/write/close). */
let expectedLoads = 0
let page = originalUrl(location.search)

async function report (phase: Phase, message?: string): Promise<void> {
  if (page !== null) await send('background', 'reportPhase', { phase, url: page, ...(message !== undefined && { message }) }).catch(() => {})
}

function showError (message: string): void {
  $('status').textContent = t('viewerNoCopy')
  $('progress').hidden = true
  const box = document.createElement('div')
  box.className = 'error'
  box.setAttribute('role', 'alert')
  const text = document.createElement('p')
  text.textContent = message
  const back = document.createElement('button')
  back.type = 'button'
  back.textContent = t('buttonTrySiteItself')
  back.addEventListener('click', () => { void retrySite() })
  box.append(text, back)
  $('copy').replaceChildren(box)
  void report('error', message)
}

async function retrySite (): Promise<void> {
  if (page === null) return
  const url = page
  await send('background', 'retrySite', { url }).catch(() => {})
  location.href = url
}

function describeSource (torrent: FoundTorrent): string {
  const words = t(SOURCE_WORDS[torrent.source])
  if (torrent.authenticated) return t('sourceDnssec', words)
  if (torrent.source === 'cache' || torrent.source === 'response') return torrent.secure ? words : t('sourcePlainHttp', words)
  return words
}

function watchStats (current: PeerCopy): void {
  // "No one is sharing" means no bytes arrived for a while, whether or not peers are connected.
  let lastProgressAt = Date.now()
  let lastDownloaded = 0
  let askAgainAfter = ASK_AGAIN_AFTER_MS
  let askedAt = Date.now()
  const stopUploading = (): void => {
    if (uploadStopped) return
    uploadStopped = true
    current.stopUploading()
    if (shown) void report('showing')
  }
  // A change in the settings applies at once: a lower ratio target, a limit, "never upload".
  watchSettings((next) => {
    settings = next
    current.setUploadLimit(next.uploadLimitKiBps)
    if (next.neverUpload || !next.seedWhileOpen) stopUploading()
  })
  stopSeedingHere = stopUploading
  if (settings.neverUpload || !settings.seedWhileOpen) stopUploading()
  setInterval(() => {
    const { torrent } = current
    const ratio = torrent.length > 0 ? torrent.uploaded / torrent.length : 0
    const ratioText = settings.ratioTarget > 0 ? t('statRatioOf', ratio.toFixed(2), settings.ratioTarget) : t('statRatioNoLimit', ratio.toFixed(2))
    const { badPieces, droppedPeers } = current.integrity()
    $('stats').textContent = t('viewerStats', torrent.numPeers, formatBytes(torrent.downloaded), formatBytes(torrent.uploaded), ratioText) +
      (badPieces > 0 ? ` · ${t('statBadPiecesValue', badPieces, droppedPeers)}` : '')
    Object.assign($('stats').dataset, { peers: torrent.numPeers, downloaded: torrent.downloaded, received: torrent.received, uploaded: torrent.uploaded, done: torrent.done, badPieces, droppedPeers })
    const progress = $('progress') as HTMLProgressElement
    progress.value = torrent.progress
    if (torrent.downloaded !== lastDownloaded) {
      lastDownloaded = torrent.downloaded
      lastProgressAt = Date.now()
      askAgainAfter = ASK_AGAIN_AFTER_MS
    }
    const now = Date.now()
    if (!torrent.done && now - Math.max(lastProgressAt, askedAt) > askAgainAfter) {
      current.lookForPeers()
      askedAt = now
      askAgainAfter = Math.min(askAgainAfter * 2, ASK_AGAIN_AT_MOST_MS)
    }
    const stalled = !torrent.done && Date.now() - lastProgressAt > NO_BYTES_AFTER_MS
    if (stalled && $('notice').hidden) {
      const retry = document.createElement('button')
      retry.type = 'button'
      retry.textContent = t('buttonLookAgain')
      retry.addEventListener('click', () => { location.reload() })
      $('notice').replaceChildren(`${t('noticeNoOneSharing')} `, retry)
      $('notice').hidden = false
    } else if (!stalled) {
      $('notice').hidden = true
    }
    if (settings.ratioTarget > 0 && ratio >= settings.ratioTarget) stopUploading()
    void send('background', 'reportStats', {
      peers: torrent.numPeers,
      downloaded: torrent.downloaded,
      uploaded: torrent.uploaded,
      downloadSpeed: torrent.downloadSpeed,
      uploadSpeed: torrent.uploadSpeed,
      progress: torrent.progress,
      length: torrent.length,
      ratioTarget: settings.ratioTarget,
      uploading: !uploadStopped,
      badPieces,
      droppedPeers,
      source: $('source').textContent ?? ''
    }).catch(() => {})
  }, 1000)
}

async function showPage (url: string): Promise<void> {
  if (copy === null) {
    // A copy from a mirror holds one page: ask the site (and, if it fails, Peerback) anew.
    location.href = url
    return
  }
  const path = new URL(url).pathname
  const html = await copy.file(path)
  if (html === null) {
    // Not in this torrent: ask the site (and, if it fails, Peerback) for that page anew.
    location.href = url
    return
  }
  showAddress(url)
  const message: ToSandbox = { type: 'render', pageUrl: url, html: html.bytes }
  expectedLoads++
  frame?.contentWindow?.postMessage(message, '*', [html.bytes])
}

/**
 * The frame loads a document once for each render the viewer sends it. Any other load is the copy
 * navigating its own frame (`location.href = …`, a refresh made at run time, a link clicked by
 * script): the extension pages' `frame-src` keeps the web out of it, and the frame, no longer the
 * copy, is removed — its messages are not trusted.
 */
function watchFrame (watched: HTMLIFrameElement): void {
  watched.addEventListener('load', () => {
    if (expectedLoads > 0) expectedLoads--
    else if (frame === watched) leave(watched)
  })
}

function leave (watched: HTMLIFrameElement): void {
  frame = null
  assets = null
  watched.remove()
  showError(t('viewerCopyNavigated'))
}

/** The page the copy shows, in the banner and the title; "Try the site again" goes there. */
function showAddress (url: string): void {
  page = url
  const link = $('original-url') as HTMLAnchorElement
  link.textContent = url
  link.href = url
  document.title = t('viewerTitle', url)
}

function offerLeaving (url: string): void {
  const notice = $('leave')
  const go = document.createElement('button')
  go.type = 'button'
  go.textContent = t('buttonOpenIt')
  go.addEventListener('click', (event) => { if (event.isTrusted) location.href = url })
  const stay = document.createElement('button')
  stay.type = 'button'
  stay.textContent = t('buttonStayHere')
  stay.addEventListener('click', () => { notice.hidden = true })
  notice.replaceChildren(`${t('noticeLeaving', url)} `, go, ' ', stay)
  notice.hidden = false
}

async function serveSandbox (event: MessageEvent): Promise<void> {
  if (frame === null || event.source !== frame.contentWindow || !isFromSandbox(event.data) || assets === null) return
  const message = event.data
  if (message.type === 'need') {
    const bytes = await assets(message.path)
    const reply: ToSandbox = { type: 'file', id: message.id, bytes }
    frame.contentWindow?.postMessage(reply, '*', bytes === null ? [] : [bytes])
  } else if (message.type === 'rendered') {
    await rendered(message.scriptsRan)
  } else if (message.type === 'navigate' && URL.canParse(message.url)) {
    const target = new URL(message.url)
    if (page !== null && target.origin === new URL(page).origin) {
      history.pushState(null, '', viewerUrl(browser.runtime.getURL(''), target.href))
      await showPage(target.href)
    } else if (/^https?:$/.test(target.protocol)) {
      // Elsewhere: the copy's scripts can post this message as well as its links can, so the
      // user confirms with a click on the viewer's own button, which the copy cannot forge.
      offerLeaving(target.href)
    }
  }
}

/**
 * DNS named another torrent than the site's own HTTPS response did for this page: nothing is
 * fetched until the reader, warned, clicks (a real click: the copy cannot forge one).
 */
async function readerChooses (original: string, pinnedAt: number): Promise<void> {
  $('status').textContent = t('viewerPinWait')
  $('pin-text').textContent = t('pinWarning', new URL(original).host, new Date(pinnedAt).toLocaleString())
  $('pin-warning').hidden = false
  await new Promise<void>((resolve) => {
    const onClick = (event: MouseEvent): void => {
      if (!event.isTrusted) return
      $('pin-show').removeEventListener('click', onClick)
      resolve()
    }
    $('pin-show').addEventListener('click', onClick)
  })
  $('pin-warning').hidden = true
}

async function start (): Promise<void> {
  markMoment('viewer-start')
  if (page === null) {
    showError(t('viewerNoAddress'))
    return
  }
  const original = page
  showAddress(original)
  $('retry-site').addEventListener('click', () => { void retrySite() })

  // Everything the copy will need starts now: the WebTorrent bundle, the settings and the discovery
  // side by side; the sandbox frame once the bundle is in (both load on this page's one thread, and
  // the copy needs the bundle first: 60 ms sooner to the first byte, docs/benchmarks.md).
  const bundle = loadWebTorrent().catch(() => {}) // a failure shows when the copy opens
  const sandbox = platform.rendersInSandboxPage ? bundle.then(async () => await sandboxFrame(original)) : null
  const [loaded, discovery] = await Promise.all([send('background', 'settings', {}), send('background', 'copyFor', { url: original })])
  settings = loaded
  const context = fetchContext(original, settings)
  const mirrors = usableMirrors(discovery.mirrors, context)
  if (discovery.torrent === null) {
    if (mirrors.length > 0) await fromMirrors(original, context, mirrors, discovery.digests, sandbox)
    else showError(whyNoCopy(discovery, t))
    return
  }
  $('source').textContent = describeSource(discovery.torrent)
  if (discovery.torrent.pinConflict !== undefined) await readerChooses(original, discovery.torrent.pinConflict.seenAt)
  $('status').textContent = t('viewerFetching')
  $('progress').hidden = false
  await report('fetching')
  try {
    // The tab came here from a race the copy won: the prefetch host holds it already.
    const handoff = wantsHandoff(location.search) ? await receiveHandoff(original, HANDOFF_WAIT_MS) : null
    const handedBytes = handoff?.pieces.some((piece) => piece !== null) === true
    if (handedBytes) markMoment('first-byte')
    history.replaceState(null, '', viewerUrl(browser.runtime.getURL(''), original))
    copy = await openPeerCopy(original, discovery.torrent.pointer, settings, foundForThisUrl(discovery.torrent), handoff, mirrors)
    markMoment('metadata')
    if (copy.mirrors.length > 0) $('source').textContent = t('sourceWithMirrors', $('source').textContent ?? '', copy.mirrors.map((mirror) => new URL(mirror).host).join(', '))
    const current = copy
    if (!handedBytes) current.torrent.once('download', () => { markMoment('first-byte') })
    if (current.torrent.done) markMoment('complete')
    else current.torrent.once('done', () => { markMoment('complete') })
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error))
    return
  }
  const created = copy.torrent.created
  const seenAt = discovery.torrent.seenAt
  $('snapshot').textContent = created instanceof Date && !Number.isNaN(created.getTime())
    ? t('snapshotOf', created.toLocaleString())
    : seenAt !== undefined ? t('pointerSeen', new Date(seenAt).toLocaleString()) : ''
  watchStats(copy)

  const target = copy.target(new URL(original).pathname)
  if (target === null) {
    showError(t('viewerNoFile', new URL(original).pathname))
    return
  }
  const { kind, type } = fileKind(target.path)
  if (kind !== 'page') {
    await showTarget(kind, type, torrentFileSource(target), discovery.digests)
    return
  }
  const current = copy
  const html = await current.file(new URL(original).pathname)
  if (html === null) return
  markMoment('document')
  const mismatch = digestMismatch(html.bytes, discovery.digests)
  if (mismatch !== null) {
    showError(mismatch)
    return
  }
  await renderPage(original, html.bytes, sandbox, async (path) => (await current.file(path, true))?.bytes ?? null)
}

async function renderPage (url: string, html: ArrayBuffer, sandbox: Promise<HTMLIFrameElement> | null, files: (path: string) => Promise<ArrayBuffer | null>): Promise<void> {
  assets = files
  if (sandbox === null) {
    frame = document.createElement('iframe')
    frame.title = t('frameTitle', url)
    $('copy').replaceChildren(frame)
    await renderSrcdoc(frame, url, html, files)
    watchFrame(frame)
    await rendered(false)
    return
  }
  frame = await sandbox
  frame.hidden = false
  watchFrame(frame)
  const message: ToSandbox = { type: 'render', pageUrl: url, html }
  expectedLoads++
  frame.contentWindow?.postMessage(message, '*', [html])
}

/** A file that is not a page: shown, played or saved (src/viewer/show-file.ts). */
async function showTarget (kind: Exclude<FileKind, 'page'>, type: string, source: FileSource, digests: Digests): Promise<void> {
  const shownFile = fileBox(source.path, source.length)
  $('copy').replaceChildren(shownFile.box)
  $('progress').hidden = true
  const done = async (status: string): Promise<void> => {
    $('status').textContent = status
    shown = true
    await report(uploadStopped ? 'showing' : 'seeding')
  }
  // Media play before the file is complete: say so as soon as they do.
  shownFile.content.addEventListener('playing', () => { if (!shown) void done(t('fileShownMedia')) }, { capture: true })
  try {
    const result = await showFile(shownFile.content, kind, type, source, digests, shownFile.progress)
    markMoment('rendered')
    shownFile.finish(result)
    await done(result.status)
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error))
  }
}

/** No torrent, but the site named mirrors on a healthy visit: the copy comes from the first good one. */
async function fromMirrors (original: string, context: FetchContext, mirrors: string[], digests: Digests, sandbox: Promise<HTMLIFrameElement> | null): Promise<void> {
  uploadStopped = true // nothing to seed
  $('status').textContent = t('viewerFetching')
  $('progress').hidden = false
  await report('fetching')
  const progress = $('progress') as HTMLProgressElement
  const host = (url: string): string => new URL(url).host
  let found
  try {
    found = await fetchFromMirrors(mirrors, context, digests, settings.maxCopyBytes, (mirror, done, total) => {
      $('source').textContent = t('mirrorsFetching', host(mirror))
      if (total !== null && total > 0) progress.value = done / total
    })
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error))
    return
  }
  const rejected = found.rejected.map(({ mirror, why }) => `${host(mirror)} (${why})`).join('; ')
  const mirrorPath = new URL(found.mirror).pathname
  const { kind, type } = fileKind(mirrorPath, found.contentType)
  // The site's digest covers the file the mirror served, never the files a page then loads from it.
  const checked = !found.checked ? t('mirrorUnchecked') : kind === 'page' ? t('mirrorPageChecked') : t('mirrorFileChecked')
  $('source').textContent = [t('sourceMirror', host(found.mirror)), checked, ...(rejected === '' ? [] : [t('mirrorsRejected', rejected)])].join(' · ')
  Object.assign($('source').dataset, { mirror: found.mirror, rejected: found.rejected.map(({ mirror }) => mirror).join(' ') })
  if (kind !== 'page') {
    await showTarget(kind, type, bytesSource(mirrorPath, found.parts), {})
    return
  }
  const html = await new Blob(found.parts as BlobPart[]).arrayBuffer()
  markMoment('document')
  await renderPage(original, html, sandbox, mirrorAssets(found.mirror, original, context, settings.maxCopyBytes - html.byteLength))
}


/**
 * The sandbox page in a frame, loaded while the copy downloads (hidden until it shows the copy).
 * Scripts only, as in the manifest's sandbox policy: no allow-same-origin, so the copy gets an
 * opaque origin and no extension APIs; no forms, popups or dialogs (a copy is static: a form would
 * send what the reader types to wherever the copy says, from a page that is not the site).
 */
async function sandboxFrame (original: string): Promise<HTMLIFrameElement> {
  const sandbox = document.createElement('iframe')
  sandbox.title = t('frameTitle', original)
  sandbox.hidden = true
  sandbox.setAttribute('sandbox', 'allow-scripts')
  const loaded = new Promise<void>((resolve) => sandbox.addEventListener('load', () => { resolve() }, { once: true }))
  sandbox.src = browser.runtime.getURL('src/sandbox/sandbox.html')
  $('copy').append(sandbox)
  await loaded
  return sandbox
}

async function rendered (scriptsRan: boolean): Promise<void> {
  markMoment('rendered')
  $('status').textContent = scriptsRan ? t('viewerShowing') : t('viewerShowingNoScripts')
  $('progress').hidden = true
  shown = true
  await report(uploadStopped ? 'showing' : 'seeding')
}

window.addEventListener('message', (event) => { void serveSandbox(event) })
window.addEventListener('popstate', () => {
  const url = originalUrl(location.search)
  if (url !== null) void showPage(url)
})
window.addEventListener('pagehide', () => { copy?.destroy() })
// Back to a viewer the browser kept in its back/forward cache: its copy was destroyed on the way
// out, so it starts again rather than show a frozen one.
window.addEventListener('pageshow', (event) => { if (event.persisted) location.reload() })
let thisTab: number | undefined
void browser.tabs.getCurrent().then((tab) => { thisTab = tab?.id })
listen('viewer', {
  // Every viewer hears it; only the one in that tab answers.
  stopSeeding: ({ tabId }) => {
    if (tabId !== thisTab) return undefined
    stopSeedingHere()
    return Promise.resolve(true)
  }
})
localize(document)
start().catch((error: unknown) => { showError(t('viewerFailed', String(error))) })
