// Rewrites a copy's HTML and CSS so every reference to a file of the torrent points to a blob URL
// minted here, in the sandbox's opaque origin. References to files the torrent lacks are left to
// fail quietly; scriptable URLs (javascript:, extension URLs) never come out.

import { mimeType } from './mime'

/** Returns a URL for a site path (e.g. `/style.css`), or null when the torrent lacks it. */
export type BlobFor = (path: string) => Promise<string | null>

/**
 * URLs for the files of a copy, made once per path: `fetchFile` gets a file's bytes from the
 * torrent, `mint` turns content into a URL (a blob URL in the sandbox, a data: URL elsewhere).
 * Stylesheets are rewritten first, against their own URL.
 */
export function assetUrls (pageUrl: string, fetchFile: (path: string) => Promise<ArrayBuffer | null>, mint: (body: ArrayBuffer | string, type: string) => string): BlobFor {
  const origin = new URL(pageUrl).origin
  const made = new Map<string, Promise<string | null>>()
  const urlFor = async (path: string): Promise<string | null> => {
    if (path === '') return null
    let promise = made.get(path)
    if (promise === undefined) {
      promise = (async () => {
        const bytes = await fetchFile(path)
        if (bytes === null) return null
        const type = mimeType(path)
        return mint(type === 'text/css' ? await rewriteCss(new TextDecoder().decode(bytes), origin + path, urlFor) : bytes, type)
      })()
      made.set(path, promise)
    }
    return await promise
  }
  return urlFor
}

const URL_ATTRIBUTES: Array<[selector: string, attribute: string]> = [
  ['img[src], script[src], iframe[src], embed[src], source[src], video[src], audio[src], track[src], input[src]', 'src'],
  ['link[href]', 'href'],
  ['video[poster]', 'poster']
]
const SCRIPTABLE = /^\s*(javascript|vbscript|data:text\/html|chrome-extension|moz-extension|chrome):/i

export async function rewriteHtml (html: string, pageUrl: string, blobFor: BlobFor): Promise<{ html: string }> {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  // <base> changes how references resolve: honour it, then drop it (blob URLs are absolute).
  const baseHref = doc.querySelector('base[href]')?.getAttribute('href')
  const base = baseHref != null && URL.canParse(baseHref, pageUrl) ? new URL(baseHref, pageUrl).href : pageUrl
  for (const element of doc.querySelectorAll('base')) element.remove()
  const local = localPath(base)

  for (const [selector, attribute] of URL_ATTRIBUTES) {
    for (const element of doc.querySelectorAll(selector)) {
      const value = element.getAttribute(attribute) ?? ''
      const blob = await blobFor(local(value) ?? '')
      if (blob !== null) element.setAttribute(attribute, blob)
      else if (SCRIPTABLE.test(value)) element.removeAttribute(attribute)
    }
  }
  for (const element of doc.querySelectorAll('img[srcset], source[srcset]')) {
    element.setAttribute('srcset', await rewriteSrcset(element.getAttribute('srcset') ?? '', local, blobFor))
  }
  for (const element of doc.querySelectorAll('[style]')) {
    element.setAttribute('style', await rewriteCss(element.getAttribute('style') ?? '', base, blobFor))
  }
  for (const element of doc.querySelectorAll('style')) {
    element.textContent = await rewriteCss(element.textContent ?? '', base, blobFor)
  }
  // Links keep their real target, resolved, so the viewer can tell pages of the site from others.
  for (const element of doc.querySelectorAll('a[href], area[href]')) {
    const value = element.getAttribute('href') ?? ''
    if (SCRIPTABLE.test(value)) element.removeAttribute('href')
    else if (!value.startsWith('#') && URL.canParse(value, base)) element.setAttribute('href', new URL(value, base).href)
  }
  for (const element of doc.querySelectorAll('form[action]')) element.removeAttribute('action')
  // A refresh would take the copy's frame to any address, without a click.
  for (const element of doc.querySelectorAll('meta[http-equiv]')) {
    if (/^\s*refresh\s*$/i.test(element.getAttribute('http-equiv') ?? '')) element.remove()
  }
  return { html: `<!doctype html>\n${doc.documentElement.outerHTML}` }
}

/** CSS `url(…)` and `@import "…"`, resolved against the stylesheet's own URL. */
async function rewriteCss (css: string, cssUrl: string, blobFor: BlobFor): Promise<string> {
  const local = localPath(cssUrl)
  const pattern = /url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3/gi
  const replacements = new Map<string, string>()
  for (const match of css.matchAll(pattern)) {
    const target = match[2] ?? match[4] ?? ''
    if (replacements.has(target)) continue
    const blob = await blobFor(local(target) ?? '')
    replacements.set(target, blob ?? (SCRIPTABLE.test(target) ? 'about:invalid' : target))
  }
  return css.replace(pattern, (whole, _q1, url1: string | undefined, _q2, url2: string | undefined) => {
    const target = url1 ?? url2 ?? ''
    const replacement = replacements.get(target) ?? target
    return url1 !== undefined ? `url("${replacement}")` : `@import "${replacement}"`
  })
}

async function rewriteSrcset (srcset: string, local: (ref: string) => string | null, blobFor: BlobFor): Promise<string> {
  const candidates = srcset.split(',').map((candidate) => candidate.trim()).filter((candidate) => candidate !== '')
  const rewritten: string[] = []
  for (const candidate of candidates.slice(0, 64)) {
    const [url = '', ...descriptor] = candidate.split(/\s+/)
    const blob = await blobFor(local(url) ?? '')
    if (blob !== null) rewritten.push([blob, ...descriptor].join(' '))
    else if (!SCRIPTABLE.test(url)) rewritten.push(candidate)
  }
  return rewritten.join(', ')
}

/** The site path a reference points to, when it is on the page's own origin. */
function localPath (base: string): (ref: string) => string | null {
  const origin = new URL(base).origin
  return (ref) => {
    if (ref === '' || ref.startsWith('#') || !URL.canParse(ref, base)) return null
    const url = new URL(ref, base)
    return url.origin === origin ? url.pathname : null
  }
}
