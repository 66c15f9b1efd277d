// Failover as a reader sees it: the site fails, and the tab shows the page from peers — its text,
// its styles, its image and its scripts — or, when the site merely said 404, nothing happens.
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readTorrentFile } from '../../src/protocol/torrent-file.ts'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'
import { english } from '../unit/english.ts'

const SITE = resolve('test/fixtures/site')
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let origin: Origin
  let doh: DohEndpoint
  let tracker: Tracker
  let seeder: Seeder
  const at = (path: string): string => `http://site.test:${origin.port}${path}`

  beforeAll(async () => {
    tracker = await startTracker()
    seeder = await startSeeder({ input: SITE, announce: [tracker.wsUrl], name: 'site' })
    origin = await startOrigin({ root: SITE })
    origin.setFile('/site.torrent', seeder.torrentFile)
    doh = await startDoh()
    driver = await launch(name, ['site.test', 'nocopy.test', 'slow.test'])
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([doh?.stop(), origin?.stop(), seeder?.stop(), tracker?.stop()])
  })

  test('origin down + DNS page record + a seeder: the page renders from peers, styled, with its image and scripts', async () => {
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1('/')}._torrent.site.test`, records.value)
    await origin.setMode('down')
    const tab = await driver.openCopy(at('/'))
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      expect(await tab.viewer.text('#original-url')).toBe(at('/'))
      expect(await tab.viewer.text('#source')).toMatch(/DNS page record/)
      if (name === 'chromium') {
        expect(await tab.copy.evaluate(() => getComputedStyle(document.querySelector('h1') as Element).color)).toBe('rgb(15, 118, 110)')
        expect(await tab.copy.evaluate(async () => {
          const image = document.querySelector('img') as HTMLImageElement
          await image.decode().catch(() => {})
          return image.naturalWidth
        })).toBeGreaterThan(0)
        expect(await tab.copy.text('#script-effect')).toBe('Scripts ran.')
        expect(await tab.viewer.text('#status')).toBe('Showing the copy')
      } else {
        // Firefox: the copy's stylesheet and image come from the torrent as data: URLs, and the
        // banner says its scripts could not run (the extension's policy forbids inline scripts).
        expect(await tab.viewer.evaluate(() => {
          const doc = new DOMParser().parseFromString(document.querySelector('#copy iframe')?.getAttribute('srcdoc') ?? '', 'text/html')
          return [doc.querySelector('link[rel=stylesheet]')?.getAttribute('href')?.slice(0, 28), doc.querySelector('img')?.getAttribute('src')?.slice(0, 26)]
        })).toEqual(['data:text/css;base64,Ym9keSB', 'data:image/svg+xml;base64,'])
        expect(await tab.viewer.text('#status')).toBe('Showing the copy (its scripts could not run here)')
      }
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })

  test('origin overloaded (503 + X-Torrent): the copy renders; a 404 is left alone', async () => {
    origin.setHeaders({ 'X-Torrent': seeder.magnetURI })
    await origin.setMode('overloaded')
    const tab = await driver.openCopy(at('/?from=503'))
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      expect(await tab.viewer.text('#source')).toMatch(/failing response/)
    } finally {
      await tab.close()
      await origin.setMode('up')
      origin.setHeaders({})
    }

    const missing = await driver.open(at('/about/')) // a web page first, so its tab id is known
    await missing.goto(at('/no-such-page')).catch(() => {})
    // The popup says why no copy replaces the page: the site answered it.
    await expect.poll(async () => await driver.ask('tabState', { tabId: missing.id })).toMatchObject({ phase: 'watching', url: at('/no-such-page'), message: english('stateSiteAnswered', '404') })
    expect(await missing.text('body')).toMatch(/not found/)
    await missing.close()
  })

  test('a healthy visit with X-Torrent, then the origin dies: the copy renders without any DNS query', async () => {
    origin.setHeaders({ 'X-Torrent': '/site.torrent' })
    const healthy = await driver.open(at('/about/'))
    await expect.poll(async () => (await driver.ask('cachedPointers', { url: at('/about/') }))?.torrents.length).toBe(1)
    await healthy.close()
    origin.setHeaders({})
    await origin.setMode('down')
    doh.queries.length = 0
    const tab = await driver.openCopy(at('/about/'))
    try {
      expect(await tab.copy.text('h1')).toBe('About')
      expect(await tab.viewer.text('#source')).toMatch(/header the site sent earlier/)
      expect(doh.queries).toEqual([])
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })

  test('a slow origin: after the threshold the copy is fetched alongside, and replaces the stalled load once ready', async () => {
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    const path = '/?slow=stalled'
    doh.setTxt(`${sha1(path)}._torrent.site.test`, records.value)
    // A slow page is looked up in DNS only with pre-warming on (off, only the site's own earlier pointers count).
    expect(await driver.ask('updateSettings', { slowThresholdSeconds: 1, prewarmPointers: true })).toMatchObject({ ok: true })
    await origin.setMode('slow', { answerAfterMs: 60_000 })
    try {
      const tab = await driver.openCopy(at(path))
      try {
        expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
        expect(await tab.viewer.text('#original-url')).toBe(at(path))
        // The document on screen is the one the host checked, not one the viewer's own client read
        // again after the hand-over (its image and scripts came through that client).
        const marks = await tab.viewer.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((mark) => [mark.name, mark.startTime])))
        expect(marks['peerback:document']).toBeLessThanOrEqual(marks['peerback:handed-over'] ?? -1)
        // The copy the prefetch host fetched was handed over, and the host is gone with the race:
        // the viewer holds every byte and received less than the copy from peers itself (their
        // handshakes, not the pages again).
        await expect.poll(async () => await driver.prefetchHostOpen()).toBe(false)
        await expect.poll(async () => await tab.viewer.evaluate(() => document.getElementById('stats')?.dataset.done)).toBe('true')
        const copy = await readTorrentFile(seeder.torrentFile, { maxTotalBytes: 1 << 20 })
        if (!copy.ok) throw copy.error
        expect(Number(await tab.viewer.evaluate(() => document.getElementById('stats')?.dataset.received))).toBeLessThan(copy.value.length)
      } finally {
        await tab.close()
      }
    } finally {
      await origin.setMode('up')
      await driver.ask('updateSettings', { slowThresholdSeconds: 5, prewarmPointers: false })
    }
  })

  test('a slow origin that answers before the copy is ready: the real page wins and the copy is dropped', async () => {
    // A torrent of the same pages that nobody seeds (another piece size, another info hash): its
    // copy can never be ready.
    const unseeded = await startSeeder({ input: SITE, announce: [tracker.wsUrl], name: 'site', pieceLength: 65_536 })
    expect(unseeded.infoHash).not.toBe(seeder.infoHash)
    await unseeded.stop()
    const records = encodeTorrentRecords(unseeded.torrentFile)
    if (!records.ok) throw records.error
    // A host of its own: site.test's pointers, cached by the tests before, would find the seeded copy.
    const path = '/?slow=answers'
    const page = `http://slow.test:${origin.port}${path}`
    doh.setTxt(`${sha1(path)}._torrent.slow.test`, records.value)
    // A slow page is looked up in DNS only with pre-warming on (off, only the site's own earlier pointers count).
    expect(await driver.ask('updateSettings', { slowThresholdSeconds: 1, prewarmPointers: true })).toMatchObject({ ok: true })
    const tab = await driver.open(at('/about/'))
    await origin.setMode('slow', { answerAfterMs: 4000 })
    const loading = tab.goto(page)
    // If an expectation fails before the load is awaited, the finally block ends the load: that
    // rejection must not outlive the test (an unhandled one fails the whole run).
    loading.catch(() => {})
    try {
      await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id }), { timeout: 3500, interval: 100 })
        .toMatchObject({ phase: 'fetching', url: page, message: expect.stringMatching(/slow to answer/) })
      expect(await driver.prefetchHostOpen()).toBe(true)
      await loading
      expect(await tab.text('#greeting')).toBe('Hello from the origin.')
      await expect.poll(async () => (await driver.ask('tabState', { tabId: tab.id }))?.phase, { timeout: 5000 }).toBe('watching')
      await expect.poll(async () => await driver.prefetchHostOpen()).toBe(false)
      // The race is over (no race left for the tab, its host closed): nothing can switch the tab now.
      expect(await driver.sessionValue(`race:${tab.id}`)).toBeNull()
      expect(await tab.text('#greeting')).toBe('Hello from the origin.')
    } finally {
      await origin.setMode('up')
      await driver.ask('updateSettings', { slowThresholdSeconds: 5, prewarmPointers: false })
      await tab.close()
    }
  })

  test('a page that is merely slow is looked up in DNS only with pre-warming on; the popup says why there is no copy', async () => {
    const name = (path: string): string => `${sha1(path)}._torrent.slow.test`
    const tab = await driver.open(at('/about/'))
    try {
      for (const prewarmPointers of [false, true]) {
        const path = `/?slow=lookup-${String(prewarmPointers)}`
        const page = `http://slow.test:${origin.port}${path}`
        expect(await driver.ask('updateSettings', { slowThresholdSeconds: 1, prewarmPointers })).toMatchObject({ ok: true })
        await origin.setMode('slow', { answerAfterMs: 60_000 })
        const loading = tab.goto(page)
        loading.catch(() => {}) // ended below when the origin's mode changes
        // The stall was handled: the tab's state says why no copy is fetched.
        await expect.poll(async () => (await driver.ask('tabState', { tabId: tab.id }))?.message ?? '', { timeout: 10_000 })
          .toMatch(prewarmPointers ? /publishes no copy of this page/ : /asks DNS for one only if the page fails/)
        expect(doh.queries.filter((query) => query.name === name(path))).toHaveLength(prewarmPointers ? 1 : 0)
        await origin.setMode('up')
      }
    } finally {
      await origin.setMode('up')
      await driver.ask('updateSettings', { slowThresholdSeconds: 5, prewarmPointers: false })
      await tab.close()
    }
  })

  test('with automatic failover off, a slow page is left alone and the copy only offered', async () => {
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    const path = '/?slow=offered'
    doh.setTxt(`${sha1(path)}._torrent.site.test`, records.value)
    expect(await driver.ask('updateSettings', { slowThresholdSeconds: 1, autoFailover: false, prewarmPointers: true })).toMatchObject({ ok: true })
    const tab = await driver.open(at('/about/'))
    await origin.setMode('slow', { answerAfterMs: 4000 })
    const loading = tab.goto(at(path))
    loading.catch(() => {}) // as above: awaited below, and ended by the finally block if an expectation fails first
    try {
      await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id }), { timeout: 3500, interval: 100 })
        .toMatchObject({ phase: 'offered', url: at(path) })
      expect(await driver.prefetchHostOpen()).toBe(false)
      await loading
      expect(await tab.text('#greeting')).toBe('Hello from the origin.')
      await expect.poll(async () => (await driver.ask('tabState', { tabId: tab.id }))?.phase, { timeout: 5000 }).toBe('watching')
    } finally {
      await origin.setMode('up')
      await driver.ask('updateSettings', { slowThresholdSeconds: 5, autoFailover: true, prewarmPointers: false })
      await tab.close()
    }
  })

  test('back from the copy goes to the page before in one step, and forward brings the copy back', async () => {
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    const path = '/?back=1'
    doh.setTxt(`${sha1(path)}._torrent.site.test`, records.value)
    const elsewhere = await startOrigin({ root: SITE }) // the page before, on a site that stays up
    const before = `http://nocopy.test:${elsewhere.port}/about/`
    const tab = await driver.openCopy(at(path), { after: before, breakSite: async () => { await origin.setMode('down') } })
    const showing = async (): Promise<boolean> => /\/viewer\.html\?/.test(tab.url()) && (await tab.viewer.text('#status').catch(() => ''))?.startsWith('Showing the copy') === true
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      // Firefox's viewer took the failed page's history entry; Chrome's is one step behind the
      // viewer, and the reader, taken back to it, is taken on to the page before.
      await tab.back()
      await expect.poll(() => tab.url(), { timeout: 10_000 }).toBe(before)
      // Forward: Chrome reloads the failed page, which fails again and reopens the copy.
      await tab.forward()
      await expect.poll(showing, { timeout: 20_000 }).toBe(true)
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      await tab.back()
      await expect.poll(() => tab.url(), { timeout: 10_000 }).toBe(before)
    } finally {
      await origin.setMode('up')
      await tab.close()
      await elsewhere.stop()
    }
  })

  test('typing the address again over its copy while the site is down comes back to the copy', async () => {
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    const path = '/?typed=1'
    doh.setTxt(`${sha1(path)}._torrent.site.test`, records.value)
    const elsewhere = await startOrigin({ root: SITE })
    const before = `http://nocopy.test:${elsewhere.port}/about/`
    const tab = await driver.openCopy(at(path), { after: before, breakSite: async () => { await origin.setMode('down') } })
    try {
      // The viewer now on screen is marked: the copy the reader comes back to is a new one.
      await tab.viewer.evaluate(() => { document.body.dataset.before = 'yes' })
      await tab.type(at(path))
      const showingAnew = async (): Promise<boolean> => /\/viewer\.html\?/.test(tab.url()) &&
        await tab.viewer.evaluate(() => document.body.dataset.before === undefined && document.getElementById('status')?.textContent?.startsWith('Showing the copy') === true).catch(() => false)
      // Chrome: the error page is shown, then the reader taken back to the viewer's entry; Firefox: the
      // copy opens again in the failed page's place.
      await expect.poll(showingAnew, { timeout: 20_000 }).toBe(true)
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
    } finally {
      await origin.setMode('up')
      await tab.close()
      await elsewhere.stop()
    }
  })

  test('a site that publishes no copy keeps the browser’s error page, and the popup says why', async () => {
    const tab = await driver.open(at('/about/'))
    await origin.setMode('down')
    const url = `http://nocopy.test:${origin.port}/`
    try {
      await tab.goto(url).catch(() => {})
      await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id }), { timeout: 10_000 })
        .toMatchObject({ phase: 'no-copy', url, message: expect.stringMatching(/has not published a copy/) })
      expect(doh.queries.map((query) => query.name)).toContain('_torrent.nocopy.test')
      expect(await driver.ask('tabFailure', { tabId: tab.id })).toMatchObject({ url, kind: 'connection-refused' })
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })

  test('a copy that does not match the digest the site published is not shown', async () => {
    const path = '/about/?digest=1'
    // The digest of other bytes than the page's: what a lying peer's copy would fail against.
    origin.setHeaders({ 'X-Torrent': '/site.torrent', Digest: `SHA-256=${createHash('sha256').update('something else').digest('base64')}` })
    const tab = await driver.open(at(path))
    await expect.poll(async () => (await driver.ask('findTorrent', { url: at(path) })).torrent?.pointer.kind).toBe('file')
    origin.setHeaders({})
    await origin.setMode('down')
    try {
      await tab.reload().catch(() => {})
      await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id }), { timeout: 20_000 })
        .toMatchObject({ phase: 'error', url: at(path), message: expect.stringMatching(/does not match the SHA-256 digest/) })
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })
})
