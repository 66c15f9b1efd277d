// The sandbox page: an opaque origin with no extension APIs (manifest `sandbox.pages` on Chrome,
// an <iframe sandbox="allow-scripts"> everywhere). It asks the viewer for the files a copy needs,
// mints blob URLs for them here, and becomes the rewritten document.
import { isToSandbox, type FromSandbox } from './messages'
import { mimeType } from './mime'
import { rewriteCss, rewriteHtml } from './rewrite'

const pending = new Map<number, (bytes: ArrayBuffer | null) => void>()
let nextId = 0

function post (message: FromSandbox, transfer: Transferable[] = []): void {
  parent.postMessage(message, '*', transfer)
}

async function need (path: string): Promise<ArrayBuffer | null> {
  const id = nextId++
  return await new Promise((resolve) => {
    pending.set(id, resolve)
    post({ type: 'need', id, path })
  })
}

function blobFactory (pageUrl: string): (path: string) => Promise<string | null> {
  const origin = new URL(pageUrl).origin
  const made = new Map<string, Promise<string | null>>()
  const blobFor = async (path: string): Promise<string | null> => {
    if (path === '') return null
    let promise = made.get(path)
    if (promise === undefined) {
      promise = (async () => {
        const bytes = await need(path)
        if (bytes === null) return null
        const type = mimeType(path)
        const body = type.startsWith('text/css')
          ? await rewriteCss(new TextDecoder().decode(bytes), origin + path, blobFor)
          : bytes
        return URL.createObjectURL(new Blob([body], { type }))
      })()
      made.set(path, promise)
    }
    return await promise
  }
  return blobFor
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
  const rewritten = await rewriteHtml(new TextDecoder().decode(html), pageUrl, blobFactory(pageUrl))
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
  const message = event.data
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
