// The viewer: the extension page a failed-over tab shows. It hosts the tab's WebTorrent client,
// feeds the sandbox frame the files it asks for, and tells the user what is going on.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import { whyNoCopy, type FoundTorrent } from '../background/discovery'
import { sendMessage } from '../lib/messages'
import type { Settings } from '../lib/settings'
import type { Phase } from '../lib/tab-state'
import { receiveHandoff } from '../lib/handoff'
import { originalUrl, viewerUrl, wantsHandoff } from '../lib/viewer-url'
import { formatBytes } from '../protocol/torrent-file'
import { digestMismatch } from '../protocol/verify-digests'
import { isFromSandbox, type ToSandbox } from '../sandbox/messages'
import { openPeerCopy, type PeerCopy } from './peer-copy'
import { renderSrcdoc } from './srcdoc-frame'

const NO_BYTES_AFTER_MS = 15_000
/** The prefetch host answers at once when it has the copy; after this, fetch it from peers anew. */
const HANDOFF_WAIT_MS = 2000
const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement

const SOURCE_WORDS: Record<FoundTorrent['source'], string> = {
  cache: 'found through a header the site sent earlier',
  response: 'found through the failing response’s header',
  'dns-page': 'found through the site’s DNS page record',
  'dns-site': 'found through the site’s DNS site record'
}

let copy: PeerCopy | null = null
let settings: Settings
let frame: HTMLIFrameElement | null = null
let page = originalUrl(location.search)

async function report (phase: Phase, message?: string): Promise<void> {
  if (page !== null) await sendMessage('reportPhase', { phase, url: page, ...(message !== undefined && { message }) }).catch(() => {})
}

function showError (message: string): void {
  $('status').textContent = 'No copy'
  $('progress').hidden = true
  const box = document.createElement('div')
  box.className = 'error'
  box.setAttribute('role', 'alert')
  const text = document.createElement('p')
  text.textContent = message
  const back = document.createElement('button')
  back.type = 'button'
  back.textContent = 'Try the site itself'
  back.addEventListener('click', () => { void retrySite() })
  box.append(text, back)
  $('copy').replaceChildren(box)
  void report('error', message)
}

async function retrySite (): Promise<void> {
  if (page === null) return
  const url = page
  await sendMessage('retrySite', { url }).catch(() => {})
  location.href = url
}

function describeSource (torrent: FoundTorrent): string {
  const words = SOURCE_WORDS[torrent.source]
  if (torrent.authenticated) return `${words} (DNSSEC-validated)`
  if (torrent.source === 'cache' || torrent.source === 'response') return torrent.secure ? words : `${words} over plain HTTP (unauthenticated)`
  return words
}

function watchStats (current: PeerCopy): void {
  // "No one is sharing" means no bytes arrived for a while, whether or not peers are connected.
  let lastProgressAt = Date.now()
  let lastDownloaded = 0
  let uploadStopped = settings.neverUpload || !settings.seedWhileOpen
  if (uploadStopped) current.stopUploading()
  setInterval(() => {
    const { torrent } = current
    const ratio = torrent.length > 0 ? torrent.uploaded / torrent.length : 0
    $('stats').textContent = `${torrent.numPeers} peer${torrent.numPeers === 1 ? '' : 's'} · ↓ ${formatBytes(torrent.downloaded)} · ↑ ${formatBytes(torrent.uploaded)} · ratio ${ratio.toFixed(2)}${settings.ratioTarget > 0 ? ` of ${settings.ratioTarget}` : ''}`
    Object.assign($('stats').dataset, { peers: torrent.numPeers, downloaded: torrent.downloaded, uploaded: torrent.uploaded, done: torrent.done })
    const progress = $('progress') as HTMLProgressElement
    progress.value = torrent.progress
    if (torrent.downloaded !== lastDownloaded) {
      lastDownloaded = torrent.downloaded
      lastProgressAt = Date.now()
    }
    const stalled = !torrent.done && Date.now() - lastProgressAt > NO_BYTES_AFTER_MS
    if (stalled && $('notice').hidden) {
      const retry = document.createElement('button')
      retry.type = 'button'
      retry.textContent = 'Look again'
      retry.addEventListener('click', () => { location.reload() })
      $('notice').replaceChildren('No one is sharing this page right now. Try again in a while, or try the site itself. ', retry)
      $('notice').hidden = false
    } else if (!stalled) {
      $('notice').hidden = true
    }
    if (!uploadStopped && settings.ratioTarget > 0 && ratio >= settings.ratioTarget) {
      uploadStopped = true
      current.stopUploading()
      void report('showing')
    }
  }, 1000)
}

async function showPage (url: string): Promise<void> {
  if (copy === null) return
  const path = new URL(url).pathname
  const html = await copy.file(path)
  if (html === null) {
    // Not in this torrent: ask the site (and, if it fails, Peerback) for that page anew.
    location.href = url
    return
  }
  showAddress(url)
  const message: ToSandbox = { type: 'render', pageUrl: url, html: html.bytes }
  frame?.contentWindow?.postMessage(message, '*', [html.bytes])
}

/** The page the copy shows, in the banner and the title; "Try the site again" goes there. */
function showAddress (url: string): void {
  page = url
  const link = $('original-url') as HTMLAnchorElement
  link.textContent = url
  link.href = url
  document.title = `Peerback copy of ${url}`
}

function offerLeaving (url: string): void {
  const notice = $('leave')
  const go = document.createElement('button')
  go.type = 'button'
  go.textContent = 'Open it'
  go.addEventListener('click', (event) => { if (event.isTrusted) location.href = url })
  const stay = document.createElement('button')
  stay.type = 'button'
  stay.textContent = 'Stay here'
  stay.addEventListener('click', () => { notice.hidden = true })
  notice.replaceChildren(`The copy links to ${url}, outside this site. `, go, ' ', stay)
  notice.hidden = false
}

async function serveSandbox (event: MessageEvent): Promise<void> {
  if (frame === null || event.source !== frame.contentWindow || !isFromSandbox(event.data) || copy === null) return
  const message = event.data
  if (message.type === 'need') {
    const found = await copy.file(message.path, true)
    const reply: ToSandbox = { type: 'file', id: message.id, bytes: found?.bytes ?? null }
    frame.contentWindow?.postMessage(reply, '*', found === null ? [] : [found.bytes])
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

async function start (): Promise<void> {
  if (page === null) {
    showError('This viewer was opened without the address of a page.')
    return
  }
  const original = page
  showAddress(original)
  $('retry-site').addEventListener('click', () => { void retrySite() })

  settings = await sendMessage('settings', {})
  const discovery = await sendMessage('copyFor', { url: original })
  if (discovery.torrent === null) {
    showError(whyNoCopy(discovery))
    return
  }
  $('source').textContent = describeSource(discovery.torrent)
  $('status').textContent = 'Fetching the copy from other readers…'
  $('progress').hidden = false
  await report('fetching')
  try {
    // The tab came here from a race the copy won: the prefetch host holds it already.
    const handoff = wantsHandoff(location.search) ? await receiveHandoff(original, HANDOFF_WAIT_MS) : null
    history.replaceState(null, '', viewerUrl(browser.runtime.getURL(''), original))
    copy = await openPeerCopy(discovery.torrent.pointer, settings, handoff)
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error))
    return
  }
  const created = copy.torrent.created
  const seenAt = discovery.torrent.seenAt
  $('snapshot').textContent = created instanceof Date && !Number.isNaN(created.getTime())
    ? `snapshot of ${created.toLocaleString()}`
    : seenAt !== undefined ? `pointer seen ${new Date(seenAt).toLocaleString()}` : ''
  watchStats(copy)

  const html = await copy.file(new URL(original).pathname)
  if (html === null) {
    showError(`The copy has no file for ${new URL(original).pathname}.`)
    return
  }
  const mismatch = await digestMismatch(html.bytes, discovery.digests)
  if (mismatch !== null) {
    showError(mismatch)
    return
  }
  frame = document.createElement('iframe')
  frame.title = `Copy of ${original}`
  $('copy').replaceChildren(frame)
  if (!platform.rendersInSandboxPage) {
    const current = copy
    await renderSrcdoc(frame, original, html.bytes, async (path) => (await current.file(path, true))?.bytes ?? null)
    await rendered(false)
    return
  }
  // No allow-same-origin: the copy gets an opaque origin and no extension APIs.
  frame.setAttribute('sandbox', 'allow-scripts allow-popups allow-forms allow-modals')
  frame.addEventListener('load', () => {
    const message: ToSandbox = { type: 'render', pageUrl: original, html: html.bytes }
    frame?.contentWindow?.postMessage(message, '*', [html.bytes])
  }, { once: true })
  frame.src = browser.runtime.getURL('src/sandbox/sandbox.html')
}

async function rendered (scriptsRan: boolean): Promise<void> {
  $('status').textContent = scriptsRan ? 'Showing the copy' : 'Showing the copy (its scripts could not run here)'
  $('progress').hidden = true
  await report(settings.seedWhileOpen && !settings.neverUpload ? 'seeding' : 'showing')
}

window.addEventListener('message', (event) => { void serveSandbox(event) })
window.addEventListener('popstate', () => {
  const url = originalUrl(location.search)
  if (url !== null) void showPage(url)
})
window.addEventListener('pagehide', () => { copy?.destroy() })
start().catch((error: unknown) => { showError(`Peerback could not show the copy: ${String(error)}`) })
