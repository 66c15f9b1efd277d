// The sandbox page: an opaque origin with no extension APIs (manifest `sandbox.pages` on Chrome,
// an <iframe sandbox="allow-scripts"> everywhere). It asks the viewer for the files a copy needs,
// mints blob URLs for them here, and shows the rewritten document in a frame of its own.
import { isToSandbox, type FromSandbox } from './messages'
import { mimeType } from './mime'
import { rewriteCss, rewriteHtml } from './rewrite'

const pending = new Map<number, (bytes: ArrayBuffer | null) => void>()
let nextId = 0
let frame: HTMLIFrameElement | null = null

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

// Runs first in the copy: reports whether scripts run, and sends link clicks to the viewer
// instead of navigating (the copy cannot navigate the tab itself).
const LINK_HANDLER = `<script>
parent.postMessage({ type: 'scripts-ran' }, '*');
document.addEventListener('click', function (event) {
  var link = event.target instanceof Element ? event.target.closest('a[href], area[href]') : null;
  if (!link || event.defaultPrevented) return;
  var href = link.getAttribute('href') || '';
  if (href.charAt(0) === '#') return;
  event.preventDefault();
  parent.postMessage({ type: 'navigate', url: link.href }, '*');
});
</script>`

async function render (pageUrl: string, html: ArrayBuffer): Promise<void> {
  const rewritten = await rewriteHtml(new TextDecoder().decode(html), pageUrl, blobFactory(pageUrl))
  const withHandler = rewritten.html.replace(/<head(\s[^>]*)?>/i, (head) => head + LINK_HANDLER)
  frame?.remove()
  frame = document.createElement('iframe')
  frame.setAttribute('sandbox', 'allow-scripts allow-popups allow-forms allow-modals')
  frame.title = 'Peer copy'
  let scriptsRan = false
  const onScripts = (event: MessageEvent): void => {
    if (event.source === frame?.contentWindow && (event.data as { type?: unknown })?.type === 'scripts-ran') scriptsRan = true
  }
  window.addEventListener('message', onScripts)
  frame.addEventListener('load', () => {
    // The handler's message arrives before load when scripts run at all.
    setTimeout(() => { post({ type: 'rendered', scriptsRan }) }, 50)
  }, { once: true })
  frame.src = URL.createObjectURL(new Blob([withHandler], { type: 'text/html' }))
  document.body.append(frame)
}

window.addEventListener('message', (event) => {
  if (event.source === parent) {
    const message = event.data
    if (!isToSandbox(message)) return
    if (message.type === 'render') void render(message.pageUrl, message.html)
    else pending.get(message.id)?.(message.bytes)
    if (message.type === 'file') pending.delete(message.id)
    return
  }
  // From the copy: only a navigation request is passed on, and the viewer judges it.
  if (frame !== null && event.source === frame.contentWindow) {
    const data = event.data as { type?: unknown, url?: unknown }
    if (data?.type === 'navigate' && typeof data.url === 'string') post({ type: 'navigate', url: data.url })
  }
})
