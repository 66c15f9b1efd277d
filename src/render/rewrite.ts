// Rewrites a copy's HTML and CSS so every reference to a file of the torrent points to a blob URL
// minted here, in the sandbox's opaque origin. References to files the torrent lacks are left to
// fail quietly; scriptable URLs (javascript:, extension URLs) never come out.

import { mimeType } from '../protocol/mime'

/** Returns a URL for a site path (e.g. `/style.css`), or null when the torrent lacks it. */
export type BlobFor = (path: string) => Promise<string | null>

/** A copy's stylesheets may import each other this deep; deeper imports, and cycles, are dropped. */
export const MAX_IMPORT_DEPTH = 8
/** The most files one rendering of a copy asks for; references past it stay unresolved. */
export const MAX_ASSETS = 1000

/**
 * URLs for the files of a copy, made once per path: `fetchFile` gets a file's bytes from the
 * torrent, `mint` turns content into a URL (a blob URL in the sandbox, a data: URL elsewhere).
 * Stylesheets are rewritten first, against their own URL. Bounded work whatever the copy holds:
 * at most MAX_ASSETS files, stylesheets at most MAX_IMPORT_DEPTH deep, and a stylesheet that
 * imports itself (directly or through others) gets no URL for that import.
 */
export function assetUrls (pageUrl: string, fetchFile: (path: string) => Promise<ArrayBuffer | null>, mint: (body: ArrayBuffer | string, type: string) => string): BlobFor {
  const origin = new URL(pageUrl).origin
  const made = new Map<string, Promise<string | null>>()
  const urlFor = async (path: string, importedBy: readonly string[] = []): Promise<string | null> => {
    if (path === '' || importedBy.includes(path) || importedBy.length > MAX_IMPORT_DEPTH) return null
    let promise = made.get(path)
    if (promise === undefined) {
      if (made.size >= MAX_ASSETS) return null
      promise = (async () => {
        const bytes = await fetchFile(path)
        if (bytes === null) return null
        const type = mimeType(path)
        const chain = [...importedBy, path]
        return mint(type === 'text/css' ? await rewriteCss(new TextDecoder().decode(bytes), origin + path, async (next) => await urlFor(next, chain)) : bytes, type)
      })()
      made.set(path, promise)
    }
    return await promise
  }
  return async (path) => await urlFor(path)
}

// Where a copy's own files are referenced: these become blob URLs when the torrent has the file.
const FILE_ATTRIBUTES: Array<[selector: string, attribute: string]> = [
  ['img[src], script[src], iframe[src], embed[src], source[src], video[src], audio[src], track[src], input[src]', 'src'],
  ['link[href]', 'href'],
  ['video[poster]', 'poster']
]
// Every attribute that holds a URL the browser may load or go to, on any element (HTML, SVG, MathML).
const URL_ATTRIBUTES = new Set(['href', 'src', 'poster', 'data', 'background', 'cite', 'longdesc', 'codebase', 'classid', 'archive', 'lowsrc', 'dynsrc', 'icon', 'manifest', 'xlink:href', 'xml:base'])
// Attributes that are dropped whatever they hold: a nested document that was never rewritten,
// beacons on click, and submissions (a copy is static; its forms have nowhere to go).
const DROPPED_ATTRIBUTES = ['srcdoc', 'ping', 'action', 'formaction']
// The only schemes a copy's markup may keep: everything else (javascript:, vbscript:, extension
// URLs, blob:, file:) is removed, however it is spelled (the URL parser decides, as the browser would).
const KEPT_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:', 'data:'])
// data: URLs that are documents can run script when a frame or link opens them; images cannot.
const DATA_DOCUMENT = /^data:[\t\n\r ]*(text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml)/i

/** True when `value` may stay in the copy: it resolves to an address with a harmless scheme. */
export function keptUrl (value: string, base: string): boolean {
  if (!URL.canParse(value, base)) return false
  const url = new URL(value, base)
  return KEPT_SCHEMES.has(url.protocol) && !(url.protocol === 'data:' && DATA_DOCUMENT.test(url.href))
}

export async function rewriteHtml (html: string, pageUrl: string, blobFor: BlobFor): Promise<{ html: string }> {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  // <base> changes how references resolve: honour it, then drop it (blob URLs are absolute).
  const baseHref = doc.querySelector('base[href]')?.getAttribute('href')
  const base = baseHref != null && URL.canParse(baseHref, pageUrl) && /^https?:$/.test(new URL(baseHref, pageUrl).protocol) ? new URL(baseHref, pageUrl).href : pageUrl
  for (const element of doc.querySelectorAll('base')) element.remove()
  const local = localPath(base)
  // URLs minted here for the torrent's files: the only non-web URLs the copy may hold.
  const minted = new Set<string>()
  const fileUrl = async (ref: string): Promise<string | null> => {
    const url = await blobFor(local(ref) ?? '')
    if (url !== null) minted.add(url)
    return url
  }

  for (const [selector, attribute] of FILE_ATTRIBUTES) {
    for (const element of doc.querySelectorAll(selector)) {
      const blob = await fileUrl(element.getAttribute(attribute) ?? '')
      if (blob !== null) element.setAttribute(attribute, blob)
    }
  }
  for (const element of doc.querySelectorAll('[srcset]')) {
    element.setAttribute('srcset', await rewriteSrcset(element.getAttribute('srcset') ?? '', base, fileUrl))
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
    if (!value.startsWith('#') && keptUrl(value, base)) element.setAttribute('href', new URL(value, base).href)
  }
  // A refresh would take the copy's frame to any address without a click; SVG animation can set an
  // href after this rewriting is done.
  for (const element of doc.querySelectorAll('meta[http-equiv]')) {
    if (/^\s*refresh\s*$/i.test(element.getAttribute('http-equiv') ?? '')) element.remove()
  }
  for (const element of doc.querySelectorAll('animate, set, animateMotion, animateTransform')) element.remove()
  for (const element of doc.querySelectorAll('*')) {
    for (const name of DROPPED_ATTRIBUTES) element.removeAttribute(name)
    for (const attribute of [...element.attributes]) {
      if (!URL_ATTRIBUTES.has(attribute.name.toLowerCase()) || minted.has(attribute.value)) continue
      if (!keptUrl(attribute.value, base)) element.removeAttributeNode(attribute)
    }
  }
  return { html: `<!doctype html>\n${doc.documentElement.outerHTML}` }
}

// CSS `url(…)` in its three spellings (quoted either way with escapes, or bare) and `@import "…"`.
const CSS_URL = /url\(\s*(?:"((?:[^"\\\n]|\\[^])*)"|'((?:[^'\\\n]|\\[^])*)'|((?:[^\s'"()\\]|\\[^])*))\s*\)|@import\s*(?:"((?:[^"\\\n]|\\[^])*)"|'((?:[^'\\\n]|\\[^])*)')/gi

/** CSS escapes (`\6a`, `\:`) decoded, as the browser's CSS parser reads them. */
export function unescapeCss (text: string): string {
  return text.replace(/\\([0-9a-f]{1,6})[ \t\n]?|\\([^])/gi, (_whole, hex: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char === '\n' ? '' : char ?? ''
    const code = parseInt(hex, 16)
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code)
  })
}

// Script schemes and extension URLs, in CSS text once escapes and control characters are gone.
const SCRIPTABLE_IN_CSS = /(java|vb|live)script\s*:|(chrome-extension|moz-extension|chrome):[\\/]{2}/i

/**
 * CSS `url(…)` and `@import`, resolved against the stylesheet's own URL: the torrent's files become
 * minted URLs, other harmless addresses stay, anything else becomes `about:invalid`. What the
 * patterns do not understand (an escaped function name, `image-set()`, a string cut short) is judged
 * as a whole: a style that still names a script scheme or an extension URL is dropped.
 */
async function rewriteCss (css: string, cssUrl: string, blobFor: BlobFor): Promise<string> {
  const local = localPath(cssUrl)
  const replacements = new Map<string, string>()
  for (const match of css.matchAll(CSS_URL)) {
    const target = unescapeCss(match.slice(1).find((part) => part !== undefined) ?? '')
    if (replacements.has(target)) continue
    const blob = await blobFor(local(target) ?? '')
    replacements.set(target, blob ?? (keptUrl(target, cssUrl) ? new URL(target, cssUrl).href : 'about:invalid'))
  }
  const rewritten = css.replace(CSS_URL, (whole, ...parts: Array<string | undefined>) => {
    const target = unescapeCss(parts.slice(0, 5).find((part) => part !== undefined) ?? '')
    const replacement = cssString(replacements.get(target) ?? 'about:invalid')
    return whole.startsWith('@') ? `@import ${replacement}` : `url(${replacement})`
  })
  return SCRIPTABLE_IN_CSS.test(unescapeCss(rewritten).replace(/[\0-\x1f]/g, '')) ? '' : rewritten
}

/** A CSS string that holds `text` and nothing else. */
const cssString = (text: string): string => `"${text.replace(/[\\"\n\r\f]/g, (char) => `\\${char.codePointAt(0)?.toString(16) ?? ''} `)}"`

async function rewriteSrcset (srcset: string, base: string, fileUrl: (ref: string) => Promise<string | null>): Promise<string> {
  const candidates = srcset.split(',').map((candidate) => candidate.trim()).filter((candidate) => candidate !== '')
  const rewritten: string[] = []
  for (const candidate of candidates.slice(0, 64)) {
    const [url = '', ...descriptor] = candidate.split(/\s+/)
    const blob = await fileUrl(url)
    if (blob !== null) rewritten.push([blob, ...descriptor].join(' '))
    else if (keptUrl(url, base)) rewritten.push([new URL(url, base).href, ...descriptor].join(' '))
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
