// @vitest-environment jsdom
// The copy's HTML/CSS rewriting: its files become minted URLs, and no script or extension URL comes
// out, however a hostile page spells it. Examples first, then random documents (fast-check).
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { assetUrls, MAX_ASSETS, MAX_IMPORT_DEPTH, rewriteHtml } from '../../src/render/rewrite.ts'
import { reportRuns, runs } from './fuzz-runs.ts'

const PAGE = 'https://blog.example/posts/first.html'
const FILES: Record<string, string> = {
  '/style.css': 'body { background: url(bg.png) } @import "/print.css";',
  '/print.css': '.x { background: url("javascript:alert(1)") }',
  '/bg.png': 'png',
  '/posts/photo.jpg': 'jpg',
  '/app.js': 'js'
}

/** The rewriting as the sandbox runs it, with fake blob URLs that the checks below can recognise. */
async function rewrite (html: string): Promise<{ html: string, minted: Set<string>, doc: Document }> {
  const minted = new Set<string>()
  const mint = (body: ArrayBuffer | string, type: string): string => {
    const url = `blob:null/${minted.size}-${type.replace('/', '-')}`
    minted.add(url)
    mintedCss.set(url, typeof body === 'string' ? body : '')
    return url
  }
  const urls = assetUrls(PAGE, async (path) => path in FILES ? new TextEncoder().encode(FILES[path]).buffer : null, mint)
  const out = await rewriteHtml(html, PAGE, urls)
  return { html: out.html, minted, doc: new DOMParser().parseFromString(out.html, 'text/html') }
}
const mintedCss = new Map<string, string>()

// What a browser would do with the value: strip tabs and newlines anywhere, C0 and spaces at the ends.
const normalized = (value: string): string => value.replace(/[\t\n\r]/g, '').replace(/^[\0- ]+|[\0- ]+$/g, '')
const SCRIPT_SCHEME = /^(javascript|vbscript|livescript|chrome-extension|moz-extension|chrome|blob|file|filesystem):/i
const unsafeUrl = (value: string, minted: Set<string>): boolean => !minted.has(value) && (SCRIPT_SCHEME.test(normalized(value)) || /^data:\s*(text\/html|image\/svg)/i.test(normalized(value)))
const CSS_SCRIPT = /(java|vb|live)script\s*:|(chrome-extension|moz-extension|chrome):/i
const cssUnescaped = (css: string): string => css.replace(/\\([0-9a-f]{1,6})\s?|\\(.)/gis, (_w, hex: string | undefined, char: string | undefined) => hex !== undefined ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : char ?? '').replace(/[\0-\x1f]/g, '')
const URL_NAMES = ['href', 'src', 'poster', 'action', 'formaction', 'data', 'background', 'cite', 'longdesc', 'codebase', 'classid', 'archive', 'lowsrc', 'dynsrc', 'icon', 'manifest', 'xlink:href', 'xml:base', 'ping']

/** Everything in the output that could take the copy to a script or extension URL. */
function escapes (doc: Document, minted: Set<string>): string[] {
  const found: string[] = []
  for (const element of doc.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase()
      if (URL_NAMES.includes(name) && unsafeUrl(attribute.value, minted)) found.push(`${element.localName}[${name}=${attribute.value}]`)
      if (name === 'srcset' && attribute.value.split(',').some((candidate) => unsafeUrl(candidate.trim().split(/\s+/)[0] ?? '', minted))) found.push(`${element.localName}[srcset=${attribute.value}]`)
      if (name === 'style' && CSS_SCRIPT.test(cssUnescaped(attribute.value))) found.push(`${element.localName}[style=${attribute.value}]`)
      if (name === 'srcdoc') found.push(`${element.localName}[srcdoc]`)
    }
    if (element.localName === 'style' && CSS_SCRIPT.test(cssUnescaped(element.textContent ?? ''))) found.push(`<style>${element.textContent ?? ''}`)
    if (element.localName === 'meta' && /refresh/i.test(element.getAttribute('http-equiv') ?? '')) found.push('meta refresh')
    if (['animate', 'set'].includes(element.localName)) found.push(element.localName)
  }
  for (const [url, css] of mintedCss) if (minted.has(url) && CSS_SCRIPT.test(cssUnescaped(css))) found.push(`minted stylesheet ${css}`)
  return found
}

describe('rewriting, by example', () => {
  test('the torrent’s files become minted URLs, resolved against the page and <base>; other sites’ links stay, resolved', async () => {
    const { doc, minted } = await rewrite(`<link rel=stylesheet href="/style.css"><img src="photo.jpg" srcset="photo.jpg 1x, https://cdn.example/p.jpg 2x">
      <script src="/app.js"></script><a href="../about/">About</a><a href="https://other.example/x">x</a><a href="#top">top</a><img src="missing.png">`)
    const made = (type: string): string | undefined => [...minted].find((url) => url.endsWith(type))
    const css = [...mintedCss].find(([, text]) => text.includes('@import'))?.[0]
    const [photo, js] = [made('image-jpeg'), made('-javascript')]
    expect(minted.size).toBe(5) // the page's three files, and the stylesheet's image and import
    expect(doc.querySelector('link')?.getAttribute('href')).toBe(css)
    expect(doc.querySelector('img')?.getAttribute('src')).toBe(photo)
    expect(doc.querySelector('img')?.getAttribute('srcset')).toBe(`${photo} 1x, https://cdn.example/p.jpg 2x`)
    expect(doc.querySelector('script')?.getAttribute('src')).toBe(js)
    expect([...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://blog.example/about/', 'https://other.example/x', '#top'])
    // A file the torrent lacks is left to fail quietly.
    expect(doc.querySelectorAll('img')[1]?.getAttribute('src')).toBe('missing.png')
    // The stylesheet's own references are rewritten too, and its import's script URL is gone.
    expect(mintedCss.get(css ?? '')).toMatch(/url\("blob:null\/\d+-image-png"\)/)
    expect(escapes(doc, minted)).toEqual([])
  })

  test('script and extension URLs are removed however they are spelled', async () => {
    const { doc, minted } = await rewrite(`
      <a id=a1 href="javascript:alert(1)">1</a><a id=a2 href=" JaVaScRiPt:alert(1)">2</a><a id=a3 href="java&#x09;script:alert(1)">3</a>
      <a id=a4 href="&#106;avascript:alert(1)">4</a><a id=a5 href="chrome-extension://abcdefghijklmnop/src/viewer/viewer.html">5</a>
      <iframe src="data:text/html,<script>alert(1)</script>"></iframe><iframe srcdoc="<a href='javascript:x'>x</a>"></iframe>
      <object data="javascript:alert(1)"></object><form action="https://blog.example/search"><button formaction="javascript:x">go</button></form>
      <svg><a xlink:href="javascript:alert(1)"><text>x</text></a><set attributeName="href" to="javascript:alert(1)"/></svg>
      <div style="background: url(jav\\61script:alert(1))">x</div><style>.x { background: u\\72l("javascript:x") }</style>
      <img srcset="javascript:alert(1) 1x, vbscript:x 2x"><a href="blob:chrome-extension://abc/uuid">b</a>
      <meta http-equiv=" Refresh " content="0; url=https://evil.example/">`)
    expect(escapes(doc, minted)).toEqual([])
    expect([...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([null, null, null, null, null, null, null])
    expect(doc.querySelector('form')?.hasAttribute('action')).toBe(false)
    expect(doc.querySelector('iframe')?.hasAttribute('src')).toBe(false)
  })
})

// Random documents: elements of every kind that takes a URL, with hostile values in every URL
// attribute, hostile CSS, entity- and escape-spelled schemes, and huge srcsets.
const hostileUrl = fc.oneof(
  fc.constantFrom('javascript:alert(1)', ' javascript:alert(1)', 'JAVASCRIPT:x', 'java&#x09;script:x', 'java\nscript:x', '&#106;avascript:x', '\u0001javascript:x',
    'vbscript:x', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/src/viewer/viewer.html', 'moz-extension://x/y', 'chrome://settings', 'blob:chrome-extension://a/b',
    'data:text/html,<script>alert(1)</script>', 'data:image/svg+xml,<svg onload=alert(1)>', 'data:image/png;base64,AAAA', 'file:///etc/passwd',
    '/style.css', 'style.css', '../bg.png', 'photo.jpg', '/app.js', '#x', '', 'https://other.example/', '//evil.example/x', 'http://[bad', 'mailto:a@b.example'),
  fc.string({ maxLength: 30 })
)
const cssText = fc.array(fc.oneof(
  hostileUrl.map((url) => `url(${url})`), hostileUrl.map((url) => `url("${url}")`), hostileUrl.map((url) => `url('${url}')`),
  hostileUrl.map((url) => `@import "${url}";`), fc.constantFrom('u\\72l(javascript:x)', 'url(jav\\61script:x)', 'url(java\\9 script:x)', 'image-set("javascript:x" 1x)', 'url("javascript:x', 'url(', '\\', '"', ')', '{', '}', ';', 'background:', ' ')
), { maxLength: 8 }).map((parts) => parts.join(' '))
const srcset = fc.array(fc.tuple(hostileUrl, fc.constantFrom('', '1x', '2x', '100w')), { maxLength: 200 }).map((candidates) => candidates.map(([url, d]) => `${url} ${d}`).join(', '))
const attrValue = (value: string): string => `"${value.replace(/"/g, '&quot;')}"`
const attribute = fc.oneof(
  fc.tuple(fc.constantFrom(...URL_NAMES, 'srcdoc'), hostileUrl).map(([name, value]) => ` ${name}=${attrValue(value)}`),
  srcset.map((value) => ` srcset=${attrValue(value)}`),
  cssText.map((value) => ` style=${attrValue(value)}`),
  fc.constantFrom(' http-equiv="refresh" content="0;url=javascript:x"', ' onclick="x()"', ' rel=stylesheet', ' attributeName="href" to="javascript:x"')
)
const tag = fc.constantFrom('a', 'area', 'img', 'iframe', 'frame', 'script', 'link', 'video', 'audio', 'source', 'track', 'embed', 'object', 'form', 'button', 'input', 'base', 'meta', 'body', 'table', 'blockquote', 'svg', 'use', 'image', 'set', 'animate', 'math', 'div')
const element = fc.tuple(tag, fc.array(attribute, { maxLength: 4 }), fc.string({ maxLength: 10 })).map(([name, attributes, text]) => `<${name}${attributes.join('')}>${text}</${name}>`)
const documentText = fc.array(fc.oneof(element, cssText.map((css) => `<style>${css}</style>`), fc.string({ maxLength: 20 })), { maxLength: 12 }).map((parts) => parts.join('\n'))

reportRuns('rewrite')

describe('random hostile documents', () => {
  test('nothing throws, and nothing that could run script or open an extension page comes out', async () => {
    const cases = runs(500)
    let done = 0
    await fc.assert(fc.asyncProperty(documentText, async (html) => {
      mintedCss.clear()
      const { doc, minted } = await rewrite(html)
      done++
      expect(escapes(doc, minted)).toEqual([])
    }), { numRuns: cases })
    expect(done).toBe(cases)
  }, 1_800_000)
})

describe('bounded work on hostile copies', () => {
  const rewriteWith = async (files: (path: string) => string | null, html: string): Promise<{ asked: string[], html: string }> => {
    const asked: string[] = []
    const urls = assetUrls(PAGE, async (path) => {
      asked.push(path)
      const text = files(path)
      return text === null ? null : new TextEncoder().encode(text).buffer
    }, (_body, type) => `blob:null/${asked.length}-${type}`)
    return { asked, html: (await rewriteHtml(html, PAGE, urls)).html }
  }
  test('a stylesheet that imports itself, or a cycle of them, renders', async () => {
    const { asked } = await rewriteWith((path) => path === '/a.css' ? '@import "/a.css"; @import "/b.css";' : path === '/b.css' ? '@import url(/a.css)' : null,
      '<link rel="stylesheet" href="/a.css"><style>@import "/b.css";</style>')
    expect(asked.sort()).toEqual(['/a.css', '/b.css'])
  })
  test('a chain of 10 000 imports is followed 8 deep', async () => {
    const { asked } = await rewriteWith((path) => `@import "/s${Number(/\d+/.exec(path)?.[0] ?? 0) + 1}.css";`, '<link rel="stylesheet" href="/s0.css">')
    expect(asked).toHaveLength(MAX_IMPORT_DEPTH + 1)
  })
  test('a page naming 5 000 files gets at most 1 000', async () => {
    const images = Array.from({ length: 5000 }, (_, index) => `<img src="/i${index}.png">`).join('')
    const { asked } = await rewriteWith(() => 'png', images)
    expect(asked).toHaveLength(MAX_ASSETS)
  })
})
