// Which same-site files a page needs to render: what its markup loads (stylesheets, scripts, images,
// icons, media) and what those stylesheets load in turn. Links to other pages are not assets.
// A regular-expression reader, not a full HTML parser: it reads the markup a static site
// generator writes, and a reference it misses only leaves that file to the site torrent.

/** Attribute values that load something, from the tags that load them. */
const LOADING_TAGS = /<(link|script|img|source|video|audio|track|input|embed|iframe)\b([^>]*)>/gi
const ATTRIBUTE = /([a-z-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/gi
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/gi

/** `link` rels whose href is fetched to render the page (not `alternate`, `next`, `canonical`…). */
const LOADING_RELS = new Set(['stylesheet', 'icon', 'shortcut', 'apple-touch-icon', 'preload', 'modulepreload', 'manifest'])

function attributes (text: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const match of text.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase()
    if (!found.has(name)) found.set(name, decodeEntities(match[3] ?? match[4] ?? match[5] ?? ''))
  }
  return found
}

const decodeEntities = (text: string): string => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")

/** The URLs a page's markup loads, as written (relative or absolute). */
export function referencesInHtml (html: string): string[] {
  const urls: string[] = []
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '')
  for (const tag of withoutComments.matchAll(LOADING_TAGS)) {
    const name = (tag[1] ?? '').toLowerCase()
    const attrs = attributes(tag[2] ?? '')
    if (name === 'link') {
      const rels = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/)
      if (!rels.some((rel) => LOADING_RELS.has(rel))) continue
      push(urls, attrs.get('href'))
      continue
    }
    if (name === 'iframe') continue // another document, with assets of its own
    push(urls, attrs.get('src'))
    push(urls, attrs.get('poster'))
    for (const candidate of (attrs.get('srcset') ?? '').split(',')) push(urls, candidate.trim().split(/\s+/)[0])
  }
  for (const style of withoutComments.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>|\sstyle\s*=\s*"([^"]*)"/gi)) {
    urls.push(...referencesInCss(style[1] ?? style[2] ?? ''))
  }
  return urls
}

/** The URLs a stylesheet loads: `url(…)` and `@import`. */
export function referencesInCss (css: string): string[] {
  const urls: string[] = []
  for (const match of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(CSS_URL)) {
    push(urls, match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5])
  }
  return urls
}

function push (urls: string[], value: string | undefined): void {
  if (value !== undefined && value !== '' && !value.startsWith('data:') && !value.startsWith('#')) urls.push(value)
}

/**
 * The site path (`about/logo.svg`, no leading slash) a reference from the document at `fromPath`
 * names, or null when it points to another site or cannot be a file.
 */
export function sitePathOf (reference: string, fromPath: string, origin: URL): string | null {
  let url: URL
  try {
    url = new URL(reference, new URL(fromPath, origin))
  } catch {
    return null
  }
  if (url.origin !== origin.origin) return null
  const base = origin.pathname.endsWith('/') ? origin.pathname : `${origin.pathname}/`
  if (!url.pathname.startsWith(base)) return null
  try {
    return decodeURIComponent(url.pathname.slice(base.length))
  } catch {
    return null
  }
}
