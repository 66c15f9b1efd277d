// The sandbox page: an opaque origin with no extension APIs (manifest `sandbox.pages` on Chrome,
// an <iframe sandbox="allow-scripts"> everywhere). It asks the viewer for the files a copy needs,
// mints blob URLs for them here, and becomes the rewritten document.
import { isToSandbox, type FromSandbox } from '../render/frame-messages'
import { assetUrls, rewriteHtml } from '../render/rewrite'

const pending = new Map<number, (bytes: ArrayBuffer | null) => void>()
let nextId = 0

function post (message: FromSandbox): void {
  parent.postMessage(message, '*')
}

async function need (path: string): Promise<ArrayBuffer | null> {
  const id = nextId++
  return await new Promise((resolve) => {
    pending.set(id, resolve)
    post({ type: 'need', id, path })
  })
}

// Runs first in the copy, when its scripts may run at all (Chrome's sandbox policy allows inline
// scripts; Firefox's extension policy does not), so the viewer can say which it was.
const SCRIPT_PROBE = '<script>document.documentElement.dataset.peerbackScripts = "ran"</script>'

/** Links go to the viewer, which decides: another page of the copy, or the web on a real click. */
function onClick (event: MouseEvent): void {
  const link = event.target instanceof Element ? event.target.closest('a[href], area[href]') : null
  if (link === null || event.defaultPrevented) return
  const href = link.getAttribute('href') ?? ''
  if (href.startsWith('#')) return
  event.preventDefault()
  post({ type: 'navigate', url: (link as HTMLAnchorElement).href })
}

async function render (pageUrl: string, html: ArrayBuffer): Promise<void> {
  const blobs = assetUrls(pageUrl, need, (body, type) => URL.createObjectURL(new Blob([body], { type })))
  const rewritten = await rewriteHtml(new TextDecoder().decode(html), pageUrl, blobs)
  const probed = rewritten.html.replace(/<head(\s[^>]*)?>/i, (head) => head + SCRIPT_PROBE)
  // The copy replaces this page's document, so its blob URLs are same-origin to it. Opening the
  // document drops every listener; they are added again to the new one.
  document.open()
  document.write(probed)
  document.close()
  listen()
  const loaded = (): void => { post({ type: 'rendered', scriptsRan: document.documentElement.dataset.peerbackScripts === 'ran' }) }
  if (document.readyState === 'complete') loaded()
  else window.addEventListener('load', loaded, { once: true })
}

function onMessage (event: MessageEvent): void {
  if (event.source !== parent) return
  const message: unknown = event.data
  if (!isToSandbox(message)) return
  if (message.type === 'render') {
    void render(message.pageUrl, message.html)
  } else {
    pending.get(message.id)?.(message.bytes)
    pending.delete(message.id)
  }
}

function listen (): void {
  window.addEventListener('message', onMessage)
  document.addEventListener('click', onClick)
}

listen()
