// Which files a page torrent carries: what the page loads, not what it links to.
import { expect, test } from 'vitest'
import { referencesInCss, referencesInHtml, sitePathOf } from '../../src/publisher/page-assets.ts'

test('stylesheets, scripts, images (src and srcset), media and icons load; links, canonical and feeds do not', () => {
  const html = `<!doctype html><html><head>
    <link rel="stylesheet" href="/css/site.css"><link rel=icon href=favicon.ico>
    <link rel="alternate" type="application/rss+xml" href="/feed.xml"><link rel="canonical" href="https://blog.example/">
    <link rel="preload" as="font" href='/fonts/serif.woff2'>
    <script src="/js/app.js" defer></script><style>body { background: url("bg.png") }</style>
    </head><body>
    <a href="/about/">About</a> <img src="photo.jpg" srcset="photo-2x.jpg 2x, photo-3x.jpg 3x" alt="">
    <video poster="/poster.jpg"><source src="/clip.webm" type="video/webm"></video>
    <img src="data:image/png;base64,AAAA"> <img src="https://cdn.example/x.png"> <div style="background-image: url(/tile.png)"></div>
    <!-- <img src="commented-out.png"> --><iframe src="/embed/"></iframe>
    <IMG SRC="/caps.PNG">
  </body></html>`
  expect(referencesInHtml(html)).toEqual([
    '/css/site.css', 'favicon.ico', '/fonts/serif.woff2', '/js/app.js',
    'photo.jpg', 'photo-2x.jpg', 'photo-3x.jpg', '/poster.jpg', '/clip.webm', 'https://cdn.example/x.png', '/caps.PNG',
    'bg.png', '/tile.png'
  ])
})

test('stylesheets: url() in its three spellings and @import; comments and data: URLs skipped', () => {
  const css = '@import "base.css"; /* url(old.png) */ .a { background: url(a.png) } .b { background: url( \'b.png\' ) } .c { mask: url("c.svg#m") } .d { background: url(data:image/png;base64,AA) }'
  expect(referencesInCss(css)).toEqual(['base.css', 'a.png', 'b.png', 'c.svg#m'])
})

test('references become site paths only when they stay on the site', () => {
  const origin = new URL('https://blog.example/')
  expect(sitePathOf('../style.css', '/posts/1/', origin)).toBe('posts/style.css')
  expect(sitePathOf('../../style.css', '/posts/1/', origin)).toBe('style.css')
  expect(sitePathOf('/img/a%20b.png?v=2#x', '/', origin)).toBe('img/a b.png')
  expect(sitePathOf('https://blog.example/logo.svg', '/', origin)).toBe('logo.svg')
  expect(sitePathOf('https://cdn.example/logo.svg', '/', origin)).toBeNull()
  expect(sitePathOf('//cdn.example/logo.svg', '/', origin)).toBeNull()
  expect(sitePathOf('http://blog.example/logo.svg', '/', origin)).toBeNull()
  expect(sitePathOf('/bad%zz.png', '/', origin)).toBeNull()
})
