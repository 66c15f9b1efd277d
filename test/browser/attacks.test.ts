// Attacks from the security review (issue 16), run in real browsers: each test fails when the
// protection it shows is removed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type ChromiumWithExtension, type DohEndpoint, type Origin } from '../world/index.ts'
import { launch, type BrowserName, type CopyTab, type Driver } from './drivers.ts'

/** A page whose references and script try every spelling of a path that leaves the mirror for `secret`. */
const leakyPage = (secret: number): string => `<!doctype html><html><head><title>Leaky</title>
<link rel="stylesheet" href="/.\\\\127.0.0.1:${secret}/s.css">
<link rel="stylesheet" href="/style.css">
<style>@import "/.//127.0.0.1:${secret}/imported.css"; body { background: url("/.//127.0.0.1:${secret}/bg.png") }</style>
</head><body><p id="greeting">Mirrored.</p>
<img src="/.//127.0.0.1:${secret}/s.png">
<img src="/%2F%2F127.0.0.1:${secret}/encoded.png">
<img src="/%2f%5c127.0.0.1:${secret}/mixed.png">
<img src="/%5C%5C127.0.0.1:${secret}/backslashes.png">
<img srcset="/.//127.0.0.1:${secret}/srcset.png 2x">
<script>
  // Forged asset requests, as the copy's own script can post them to the viewer.
  const paths = ['//127.0.0.1:${secret}/forged', '\\\\\\\\127.0.0.1:${secret}/forged', '/..//127.0.0.1:${secret}/forged', 'http://127.0.0.1:${secret}/forged',
    '/%2f%2f127.0.0.1:${secret}/forged', '/.%5c127.0.0.1:${secret}/forged', '//localhost:${secret}/forged', '//[::ffff:7f00:1]:${secret}/forged']
  let answered = 0
  addEventListener('message', (event) => {
    if (event.data?.type === 'file' && event.data.id >= 90000 && ++answered === paths.length) document.body.dataset.forged = String(answered)
  })
  paths.forEach((path, index) => parent.postMessage({ type: 'need', id: 90000 + index, path }, '*'))
</script>
</body></html>`

/** Ways a copy's script can take its own frame somewhere else, run once the copy has loaded. */
const NAVIGATIONS: Record<string, (target: string) => string> = {
  'location.href': (target) => `location.href = '${target}'`,
  'location.replace': (target) => `location.replace('${target}')`,
  'a refresh made at run time': (target) => `const meta = document.createElement('meta'); meta.httpEquiv = 'refresh'; meta.content = '0;url=${target}'; document.head.append(meta)`,
  'a target=_self link clicked by script': (target) => `addEventListener('click', (event) => event.stopImmediatePropagation(), true);
    const link = document.createElement('a'); link.href = '${target}'; link.target = '_self'; document.body.append(link); link.click()`,
  'the sandbox page itself, again': () => "location.href = location.href.split('#')[0] + '?again'"
}

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let doh: DohEndpoint
  let secret: Origin
  let pixel: Origin
  let dir: string
  let mirror: Origin
  let site: Origin

  /** Shows `html` as a copy from the site's mirror (the site is overloaded and names it). */
  const mirrorCopy = async (file: string, html: string): Promise<CopyTab> => {
    await writeFile(join(dir, file), html)
    site.setHeaders({ 'X-Mirrored-By': `http://mirror.test:${mirror.port}/${file}` })
    return await driver.openCopy(`http://leaky.test:${site.port}/${file}`, { until: 'viewer' })
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peerback-attacks-'))
    doh = await startDoh()
    // A service on the reader's own machine that no web page may read.
    secret = await startOrigin({ root: SITE })
    // A server a copy tries to reach: every request it gets is a leak.
    pixel = await startOrigin({ root: SITE })
    mirror = await startOrigin({ root: dir })
    site = await startOrigin({ root: dir })
    await site.setMode('overloaded')
    driver = await launch(name, ['leaky.test', 'mirror.test', 'pixel.test'])
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  }, 60_000)

  beforeEach(() => { pixel.requests.length = 0 })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([doh?.stop(), secret?.stop(), pixel?.stop(), mirror?.stop(), site?.stop()])
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  test('a mirror copy cannot make the reader’s browser read a local service: no spelling of a path leaves the mirror', async () => {
    await writeFile(join(dir, 'index.html'), leakyPage(secret.port))
    await writeFile(join(dir, 'style.css'), '#greeting { color: rgb(1, 2, 3) }')
    site.setHeaders({ 'X-Mirrored-By': `http://mirror.test:${mirror.port}/` })
    const tab = await driver.openCopy(`http://leaky.test:${site.port}/`)
    try {
      expect(await tab.copy.text('#greeting')).toBe('Mirrored.')
      expect(await tab.viewer.text('#copy-of')).toBe(`Copy of http://leaky.test:${site.port}/, served by the site’s mirror mirror.test:${mirror.port}`)
      // The copy is rendered once every reference was asked for; its forged requests are answered too.
      if (name === 'chromium') await expect.poll(async () => await tab.copy.evaluate(() => document.body.dataset.forged ?? null)).toBe('8')
      expect(mirror.requests).toEqual(expect.arrayContaining(['/', '/style.css']))
      expect(secret.requests).toEqual([])
    } finally {
      await tab.close()
    }
  })

  test('a copy is offline: its remote images, styles, fonts, media and frames make no request', async () => {
    const at = (path: string): string => `http://pixel.test:${pixel.port}/${path}`
    const tab = await mirrorCopy('offline.html', `<!doctype html><html><head><title>Offline</title>
      <link rel="stylesheet" href="${at('link.css')}"><link rel="prefetch" href="${at('prefetch')}"><link rel="icon" href="${at('icon.png')}">
      <style>@import url(${at('import.css')}); @font-face { font-family: f; src: url(${at('font.woff')}) } p { font-family: f; background: url(${at('bg.png')}) }</style>
      </head><body><p id="greeting">Offline.</p><img src="${at('img.png')}"><img srcset="${at('srcset.png')} 2x">
      <video src="${at('video.webm')}" preload="auto"></video><audio src="${at('audio.ogg')}" preload="auto"></audio>
      <iframe src="${at('frame.html')}"></iframe><object data="${at('object.svg')}"></object><embed src="${at('embed.svg')}"></body></html>`)
    try {
      // Shown once it loaded: everything it asked for was answered or refused by then.
      await expect.poll(async () => await tab.viewer.text('#status')).toMatch(/^Showing/)
      expect(await tab.copy.text('#greeting')).toBe('Offline.')
      expect(pixel.requests).toEqual([])
    } finally {
      await tab.close()
    }
  })

  test.skipIf(name === 'firefox').each(Object.entries(NAVIGATIONS))('a copy that navigates its own frame (%s) is no longer shown, and nothing is loaded in its place', async (_how, navigate) => {
    const target = at(pixel, 'navigated')
    const tab = await mirrorCopy('navigates.html', `<!doctype html><html><head><title>Navigates</title></head><body><p id="greeting">About to leave.</p>
      <script>addEventListener('load', () => { ${navigate(target)} })</script></body></html>`)
    try {
      await expect.poll(async () => await tab.viewer.text('.error p')).toBe('The copy tried to load another page in its place, so Peerback stopped showing it. Reload this tab to see the copy again.')
      expect(await tab.viewer.evaluate(() => document.querySelectorAll('iframe').length)).toBe(0)
      expect(tab.url()).toMatch(/^chrome-extension:/)
      expect(pixel.requests).toEqual([])
    } finally {
      await tab.close()
    }
  })
})

describe.each<BrowserName>(['chromium', 'firefox'])('%s: only GET navigations fail over', (name) => {
  test('a slow form submission is neither raced nor replaced by a copy, though the page has one', async () => {
    const { doh, stop } = await copyOfHome('shop.test')
    const shop = await startOrigin({ root: SITE })
    const form = await startOrigin({ root: SITE })
    form.setFile('/order.html', `<!doctype html><title>Order</title><form method="post" action="http://shop.test:${shop.port}/"><input name="item" value="1"></form>
      <script>addEventListener('load', () => document.forms[0].submit())</script>`)
    // The checkout takes 4 s; a page is slow after 1 s.
    await shop.setMode('slow', { answerAfterMs: 4000 })
    const driver = await launch(name, ['shop.test', 'form.test'])
    try {
      expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [], slowThresholdSeconds: 1 })).toMatchObject({ ok: true })
      const tab = await driver.open(`http://form.test:${form.port}/order.html`)
      // The shop's own answer arrives, in the tab: it was waited for, not replaced.
      await expect.poll(async () => await tab.text('#greeting').catch(() => null), { timeout: 20_000 }).toBe('Hello from the origin.')
      expect(shop.requests[0]).toBe('/')
      expect(doh.queries).toEqual([])
    } finally {
      await driver.close()
      await Promise.all([stop(), shop.stop(), form.stop()])
    }
  })
})

describe.each<BrowserName>(['chromium', 'firefox'])('%s: the reader moved on', (name) => {
  test('a copy found after the reader went on to another page does not replace that page', async () => {
    const { doh, stop } = await copyOfHome('gone.test')
    // A resolver that holds its answers until the test lets them go.
    let release = (): void => {}
    const released = new Promise<void>((resolve) => { release = resolve })
    const held = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        void released.then(async () => {
          const answer = await fetch(`${doh.url.replace(/\/dns-query$/, '')}${req.url ?? ''}`, { method: req.method, headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' }, ...(req.method === 'POST' && { body: Buffer.concat(chunks) }) })
          res.writeHead(answer.status, { 'content-type': 'application/dns-message' })
          res.end(Buffer.from(await answer.arrayBuffer()))
        })
      })
    })
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve))
    const gone = await startOrigin({ root: SITE })
    await gone.setMode('down')
    const elsewhere = await startOrigin({ root: SITE })
    const driver = await launch(name, ['gone.test', 'elsewhere.test'])
    try {
      expect(await driver.ask('updateSettings', { dohResolver: `http://127.0.0.1:${(held.address() as AddressInfo).port}/dns-query`, iceServers: [] })).toMatchObject({ ok: true })
      const tab = await driver.open(`http://elsewhere.test:${elsewhere.port}/`)
      const failing = `http://gone.test:${gone.port}/`
      await tab.goto(failing).catch(() => {})
      await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id })).toMatchObject({ phase: 'looking-up', url: failing })
      // Chromium commits its own error page a moment after the failure; a navigation before that is cut short by it.
      if (name === 'chromium') await expect.poll(async () => await tab.text('#main-frame-error').catch(() => null)).not.toBeNull()
      // The reader goes on; then the resolver answers, naming a copy that peers have.
      await tab.goto(`http://elsewhere.test:${elsewhere.port}/about/`)
      release()
      await expect.poll(async () => doh.queries.some((query) => query.name === `${HOME_RECORD}.gone.test`)).toBe(true)
      // The background has the answer (it is recorded for the tab) and the tab keeps the reader's page.
      await expect.poll(async () => (await driver.inExtension(async () => {
        const api = (globalThis as { browser?: typeof chrome }).browser ?? chrome
        return Object.entries(await api.storage.session.get(null)).filter(([key]) => key.startsWith('tab-discovery:')).map(([, value]) => (value as { url?: string }).url)
      })).includes(failing)).toBe(true)
      expect(await tab.text('h1')).toBe('About')
      expect(await driver.ask('tabState', { tabId: tab.id })).toMatchObject({ url: `http://elsewhere.test:${elsewhere.port}/about/` })
    } finally {
      await driver.close()
      held.closeAllConnections()
      held.close()
      await Promise.all([stop(), gone.stop(), elsewhere.stop()])
    }
  })
})

describe('chromium: prerendering', () => {
  test('a page prerendered out of sight (speculation rules) that fails never moves the visible tab', async () => {
    // The home page prerenders /next, which answers 503 and names a torrent: a failover, were it visible.
    const server = createServer((req, res) => {
      if (req.url === '/next') {
        res.writeHead(503, { 'content-type': 'text/html', 'x-torrent': `magnet:?xt=urn:btih:${'c'.repeat(40)}` })
        res.end(`<p>busy</p>${' '.repeat(600)}`)
      } else {
        res.writeHead(200, { 'content-type': 'text/html', ...(req.url === '/later' && { 'x-torrent': '/later.torrent' }) })
        res.end(`<!doctype html><title>Home</title><p id="greeting">Home.</p><script type="speculationrules">{"prerender":[{"source":"list","urls":["/next"]}]}</script>`)
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const driver = await launch('chromium')
    try {
      const chromium = driver.chromium as ChromiumWithExtension
      // Chromium prerenders only for potentially trustworthy origins, so the page is on *.localhost:
      // a private host, which Peerback fails over for once allowed.
      expect(await driver.ask('updateSettings', { allowPrivateHosts: true })).toMatchObject({ ok: true })
      // An extension page sees the same webRequest events the background does, as they are dispatched.
      await driver.inExtension(async () => {
        const seen: unknown[] = []
        ;(globalThis as { seen?: unknown[] }).seen = seen
        chrome.webRequest.onHeadersReceived.addListener((details) => { seen.push(details); return undefined }, { urls: ['http://*/*'], types: ['main_frame'] })
      })
      const page = await chromium.context.newPage()
      const visited: string[] = []
      page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()) })
      await page.goto(`http://pre.localhost:${port}/`)
      const prerendered = async (): Promise<unknown> => await driver.inExtension(async () =>
        ((globalThis as { seen?: Array<{ url: string, statusCode: number }> }).seen ?? [])
          .find((details) => details.url?.endsWith('/next') === true && details.statusCode === 503) ?? null)
      await expect.poll(prerendered).not.toBeNull()
      // What the background's filter relies on: the browser marks the request as not the tab's own.
      // Chromium reports it as the visible tab's own main frame: only its Sec-Purpose header tells.
      expect(await prerendered()).toMatchObject({ frameId: 0, documentLifecycle: 'active' })
      // A later navigation of the tab is handled (its pointers are remembered)...
      await page.goto(`http://pre.localhost:${port}/later`)
      await expect.poll(async () => await driver.ask('cachedPointers', { url: `http://pre.localhost:${port}/later` })).not.toBeNull()
      // ...and the tab never showed a copy of the prerendered page.
      expect(visited.filter((url) => url.includes('/src/viewer/'))).toEqual([])
      expect(page.url()).toBe(`http://pre.localhost:${port}/later`)
    } finally {
      await driver.close()
      server.closeAllConnections()
      server.close()
    }
  })
})

const SITE = resolve('test/fixtures/site')
/** The DNS page record name of `/` under `_torrent`, without its host. */
const HOME_RECORD = `${createHash('sha1').update('/').digest('hex')}._torrent`

/** A copy of the fixture site's home page at `host`: a tracker, a seeder, and a DNS page record naming it. */
async function copyOfHome (host: string): Promise<{ doh: DohEndpoint, stop: () => Promise<void> }> {
  const tracker = await startTracker()
  const seeder = await startSeeder({ input: SITE, announce: [tracker.wsUrl], name: 'site' })
  const doh = await startDoh()
  const records = encodeTorrentRecords(seeder.torrentFile)
  if (!records.ok) throw records.error
  doh.setTxt(`${HOME_RECORD}.${host}`, records.value)
  return { doh, stop: async () => { await Promise.all([seeder.stop(), tracker.stop(), doh.stop()]) } }
}

const at = (origin: Origin, path: string): string => `http://pixel.test:${origin.port}/${path}`
