// Rendering where there are no sandbox pages (Firefox): the viewer rewrites the copy itself, with
// data: URLs for its files, into an <iframe sandbox srcdoc>. The copy gets an opaque origin; the
// extension's policy keeps its scripts from running; links go to the top tab only on a click.
import { bytesToBase64 } from '../protocol/base64'
import { followUrl } from './follow-link'
import { assetUrls, rewriteHtml } from './rewrite'

export async function renderSrcdoc (frame: HTMLIFrameElement, pageUrl: string, html: ArrayBuffer, fetchFile: (path: string) => Promise<ArrayBuffer | null>): Promise<void> {
  const urls = assetUrls(pageUrl, fetchFile, dataUrl)
  const rewritten = await rewriteHtml(new TextDecoder().decode(html), pageUrl, urls)
  const doc = new DOMParser().parseFromString(rewritten.html, 'text/html')
  // Links to other sites leave the copy for the real page, on a click. Same-site links send the
  // frame to an empty page that names them (follow-link.ts): the viewer sees it go
  // (RendererEvents.left) and shows that page from the copy instead. Fragment links stay and scroll.
  const base = doc.createElement('base')
  base.target = '_top'
  doc.head.prepend(base)
  const origin = new URL(pageUrl).origin
  for (const link of doc.querySelectorAll('a[href]')) {
    const href = link.getAttribute('href') ?? ''
    if (href.startsWith('#')) {
      link.setAttribute('target', '_self')
    } else if (URL.canParse(href, pageUrl) && new URL(href, pageUrl).origin === origin) {
      link.setAttribute('href', followUrl(new URL(href, pageUrl).href))
      link.setAttribute('target', '_self')
    }
  }
  frame.setAttribute('sandbox', 'allow-top-navigation-by-user-activation allow-popups')
  await new Promise<void>((resolve) => {
    frame.addEventListener('load', () => resolve(), { once: true })
    frame.srcdoc = `<!doctype html>\n${doc.documentElement.outerHTML}`
  })
}

function dataUrl (body: ArrayBuffer | string, type: string): string {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body)
  return `data:${type};base64,${bytesToBase64(bytes)}`
}
