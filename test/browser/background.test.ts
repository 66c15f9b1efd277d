// The background in each browser: it records failed loads, remembers the pointers healthy pages
// send (and their small .torrent files), and finds a page's torrent from cache, from a failing
// response, or over DNS-over-HTTPS — without looking anything up while pages are healthy.
/// <reference types="chrome" />
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import createTorrent from 'create-torrent'
import parseTorrent from 'parse-torrent'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, type DohEndpoint, type Origin } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

async function siteTorrent (): Promise<{ bytes: Uint8Array, infoHash: string }> {
  const bytes = await new Promise<Uint8Array>((resolve, reject) => {
    createTorrent(SITE, { name: 'site', announceList: [['ws://127.0.0.1:1']], urlList: [] }, (error, torrent) => {
      if (error) reject(error)
      else resolve(new Uint8Array(torrent))
    })
  })
  return { bytes, infoHash: (await parseTorrent(bytes) as { infoHash: string }).infoHash }
}

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let origin: Origin
  let doh: DohEndpoint
  let torrent: { bytes: Uint8Array, infoHash: string }
  const at = (path: string): string => `http://site.test:${origin.port}${path}`

  beforeAll(async () => {
    torrent = await siteTorrent()
    origin = await startOrigin({ root: SITE })
    origin.setFile('/site.torrent', torrent.bytes)
    doh = await startDoh()
    driver = await launch(name)
    expect(await driver.ask('updateSettings', { dohResolver: doh.url })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    await driver?.close()
    await doh?.stop()
    await origin?.stop()
  })

  test('a healthy page with X-Torrent: the pointer and its .torrent are cached, and nothing is looked up', async () => {
    origin.setHeaders({ 'X-Torrent': '/site.torrent' })
    const tab = await driver.open(at('/'))
    expect(await tab.text('#greeting')).toBe('Hello from the origin.')
    await tab.close()

    await expect.poll(async () => (await driver.ask('findTorrent', { url: at('/') })).torrent).toEqual({
      source: 'cache',
      pointer: { kind: 'file', base64: expect.any(String), infoHash: torrent.infoHash, url: at('/site.torrent') },
      secure: false,
      authenticated: false,
      seenAt: expect.any(Number)
    })
    // Another page of the same site is served from the site torrent seen on the first.
    expect((await driver.ask('findTorrent', { url: at('/about/') })).torrent).toMatchObject({ source: 'cache', pointer: { infoHash: torrent.infoHash } })
    expect(doh.queries).toEqual([])
  })

  test('a healthy page with Link rel=describedby: the pointer is cached', async () => {
    origin.setHeaders({ Link: '<magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&tr=ws%3A%2F%2F127.0.0.1%3A1>; rel="describedby"; type="application/x-bittorrent", </style.css>; rel=preload; as=style' })
    const tab = await driver.open(at('/about/'))
    await tab.close()
    await expect.poll(async () => (await driver.ask('cachedPointers', { url: at('/about/') }))?.torrents).toEqual([
      { kind: 'magnet', magnet: expect.objectContaining({ infoHash: 'c9e15763f722f23e98a29decdfae341b98d53056', trackers: ['ws://127.0.0.1:1'] }) }
    ])
    expect(doh.queries).toEqual([])
  })

  test('a failing response that names its torrent is used before DNS', async () => {
    const discovery = await driver.ask('findTorrent', {
      url: at('/never-visited.html'),
      responseHeaders: [{ name: 'X-Torrent', value: 'magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567' }, { name: 'Retry-After', value: '120' }]
    })
    expect(discovery.torrent).toMatchObject({ source: 'response', pointer: { kind: 'magnet', magnet: { infoHash: '0123456789abcdef0123456789abcdef01234567' } } })
    expect(doh.queries).toEqual([])
  })

  test('DNS-over-HTTPS: a chunked torrent at the page record, with the AD bit', async () => {
    const records = encodeTorrentRecords(torrent.bytes, 300)
    if (!records.ok) throw records.error
    expect(records.value.length).toBeGreaterThan(1)
    doh.setTxt(`${sha1('/posts/first.html?ref=feed')}._torrent.site.test`, [['v=spf1 -all'], ...records.value.reverse()])
    doh.setAuthenticated(true)

    const discovery = await driver.ask('findTorrent', { url: at('/posts/first.html?ref=feed#comments') })
    expect(discovery.torrent).toEqual({
      source: 'dns-page',
      pointer: { kind: 'file', base64: Buffer.from(torrent.bytes).toString('base64'), infoHash: torrent.infoHash },
      secure: false,
      authenticated: true
    })
    expect(doh.queries.at(-1)).toEqual({ name: `${sha1('/posts/first.html?ref=feed')}._torrent.site.test`, type: 'TXT', method: 'GET' })
  })

  test('DNS trouble is reported, not hung on: NXDOMAIN everywhere means no torrent, with the names asked', async () => {
    doh.queries.length = 0
    const discovery = await driver.ask('findTorrent', { url: at('/nowhere') })
    expect(discovery.torrent).toBeNull()
    expect(doh.queries.map((query) => query.name)).toEqual([`${sha1('/nowhere')}._torrent.site.test`, '_torrent.site.test'])
    // An IP-literal host has no DNS name: nothing is asked, and the user is told why.
    const literal = await driver.ask('findTorrent', { url: `http://127.0.0.1:${origin.port}/x` })
    expect(literal.problems).toEqual([expect.objectContaining({ code: 'ip-literal-host' })])
    expect(doh.queries).toHaveLength(2)
  })

  test('pre-warming (opted in): a healthy visit looks DNS up, so a later failure needs no lookup', async () => {
    origin.setHeaders({})
    const target = '/about/?prewarm=1'
    doh.setTxt(`${sha1(target)}._torrent.site.test`, [['magnet:?xt=urn:btih:5555555555555555555555555555555555555555']])
    doh.queries.length = 0
    // Off (the default): a healthy visit asks DNS nothing.
    await (await driver.open(at('/about/?prewarm=0'))).close()
    expect(doh.queries).toEqual([])

    expect(await driver.ask('updateSettings', { prewarmPointers: true })).toMatchObject({ ok: true, settings: { prewarmPointers: true } })
    await (await driver.open(at(target))).close()
    await expect.poll(() => doh.queries.map((query) => query.name)).toContain(`${sha1(target)}._torrent.site.test`)

    doh.setFailure('hang')
    try {
      const discovery = await driver.ask('findTorrent', { url: at(target) })
      expect(discovery.torrent).toMatchObject({ source: 'dns-page', pointer: { kind: 'magnet', magnet: { infoHash: '5'.repeat(40) } } })
    } finally {
      doh.setFailure(null)
      await driver.ask('updateSettings', { prewarmPointers: false })
    }
  })

  test('a main-frame connection refused is recorded for its tab', async () => {
    // A page with no copy anywhere, so the tab stays on the browser's error page.
    const url = at('/nothing-here/')
    const tab = await driver.open(url)
    expect(await driver.ask('tabFailure', { tabId: tab.id })).toBeNull()
    await origin.setMode('down')
    await expect(tab.reload()).rejects.toThrow()
    await expect.poll(async () => await driver.ask('tabFailure', { tabId: tab.id })).toMatchObject({ url, kind: 'connection-refused' })
    await expect.poll(async () => (await driver.ask('tabState', { tabId: tab.id }))?.phase).toBe('no-copy')
    await tab.close()
    await origin.setMode('up')
  })

  test.runIf(name === 'chromium')('the service worker registers every listener as it starts', async () => {
    const worker = await driver.chromium?.serviceWorker()
    expect(await worker?.evaluate(() => [
      chrome.webNavigation.onBeforeNavigate.hasListeners(),
      chrome.webNavigation.onCommitted.hasListeners(),
      chrome.webNavigation.onErrorOccurred.hasListeners(),
      chrome.webRequest.onHeadersReceived.hasListeners(),
      chrome.tabs.onRemoved.hasListeners(),
      chrome.runtime.onMessage.hasListeners()
    ])).toEqual([true, true, true, true, true, true])
  })

  test.runIf(name === 'chromium')('the cache survives a stopped service worker', async () => {
    const chromium = driver.chromium
    if (chromium === undefined) throw new Error('no Chromium')
    // Playwright keeps a stale handle on a stopped worker, so watch the worker through CDP instead.
    const cdp = await chromium.context.newCDPSession(await chromium.context.newPage())
    const statuses: string[] = []
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) if (version.scriptURL.startsWith(chromium.extensionOrigin)) statuses.push(version.runningStatus)
    })
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    // Stopped; an event already on its way (a tab's, the badge's) may wake it again at once.
    await expect.poll(() => statuses.includes('stopped')).toBe(true)

    // A fresh worker (woken by this message, or by then already), which finds what the old one stored.
    const discovery = await driver.ask('findTorrent', { url: at('/') })
    expect(discovery.torrent).toMatchObject({ source: 'cache', pointer: { kind: 'file', infoHash: torrent.infoHash } })
    expect(statuses.slice(statuses.lastIndexOf('stopped'))).toContain('running')
  })
})
