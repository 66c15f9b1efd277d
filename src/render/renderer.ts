// How a page of the copy gets on screen, chosen once per browser (platform.createRenderer): Chrome
// renders it in the manifest's sandbox page (opaque origin, the copy's scripts run, files asked for
// by message); Firefox, which has no sandbox pages, in a sandboxed srcdoc frame the viewer fills
// itself (srcdoc-frame.ts).
import { isFromSandbox, type ToSandbox } from './frame-messages'
import { renderSrcdoc } from './srcdoc-frame'

export type Files = (path: string) => Promise<ArrayBuffer | null>

export interface RendererEvents {
  /** The page is on screen; whether its scripts ran. */
  rendered: (scriptsRan: boolean) => void
  /** The copy asked to go to another URL (a link, or its scripts: untrusted). */
  navigate: (url: string) => void
  /** The frame navigated by itself (at `at`, epoch ms): it is no longer the copy, and is gone. */
  left: (at: number) => void
}

export interface Renderer {
  render: (url: string, html: ArrayBuffer, files: Files) => Promise<void>
}

/**
 * The sandbox page in a frame, loaded while the copy downloads (hidden until it shows the copy), once
 * `after` settles (both load on the viewer's one thread, and the copy needs the WebTorrent bundle
 * first). Scripts only, as in the manifest's sandbox policy: no allow-same-origin, so the copy gets
 * an opaque origin and no extension APIs; no forms, popups or dialogs (a copy is static: a form
 * would send what the reader types to wherever the copy says, from a page that is not the site).
 */
export function sandboxRenderer (container: HTMLElement, title: string, sandboxUrl: string, after: Promise<unknown>, events: RendererEvents): Renderer {
  let frame: HTMLIFrameElement | null = null
  let files: Files | null = null
  /** Each render sent to the frame loads its document once (document.open/write/close). */
  let expectedLoads = 0

  const ready = after.then(async () => {
    const sandbox = document.createElement('iframe')
    sandbox.title = title
    sandbox.hidden = true
    sandbox.setAttribute('sandbox', 'allow-scripts')
    const loaded = new Promise<void>((resolve) => sandbox.addEventListener('load', () => { resolve() }, { once: true }))
    sandbox.src = sandboxUrl
    container.append(sandbox)
    await loaded
    // Any load the viewer did not ask for is the copy navigating its own frame (`location.href = …`,
    // a refresh made at run time, a link clicked by script): the extension pages' `frame-src` keeps
    // the web out of it, and the frame, no longer the copy, is removed — its messages are not trusted.
    sandbox.addEventListener('load', () => {
      if (expectedLoads > 0) expectedLoads--
      else if (frame === sandbox) {
        frame = null
        files = null
        sandbox.remove()
        events.left(Date.now())
      }
    })
    frame = sandbox
    return sandbox
  })

  window.addEventListener('message', (event) => {
    if (frame === null || event.source !== frame.contentWindow || !isFromSandbox(event.data) || files === null) return
    const message = event.data
    const window = frame.contentWindow
    if (message.type === 'need') {
      void files(message.path).then((bytes) => {
        const reply: ToSandbox = { type: 'file', id: message.id, bytes }
        window?.postMessage(reply, '*', bytes === null ? [] : [bytes])
      })
    } else if (message.type === 'rendered') {
      events.rendered(message.scriptsRan)
    } else if (message.type === 'navigate' && URL.canParse(message.url)) {
      events.navigate(message.url)
    }
  })

  return {
    async render (url, html, pageFiles) {
      const sandbox = await ready
      if (frame !== sandbox) return // the copy left: nothing more is rendered into it
      files = pageFiles
      sandbox.hidden = false
      const message: ToSandbox = { type: 'render', pageUrl: url, html }
      expectedLoads++
      sandbox.contentWindow?.postMessage(message, '*', [html])
    }
  }
}

/** Firefox: the viewer rewrites the copy into a sandboxed srcdoc frame; its scripts do not run. */
export function srcdocRenderer (container: HTMLElement, title: string, events: RendererEvents): Renderer {
  return {
    async render (url, html, files) {
      const frame = document.createElement('iframe')
      frame.title = title
      container.replaceChildren(frame)
      await renderSrcdoc(frame, url, html, files)
      const shownAt = Date.now()
      frame.addEventListener('load', () => { frame.remove(); events.left(shownAt) })
      events.rendered(false)
    }
  }
}
