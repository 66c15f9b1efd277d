// Content negotiation (issue 9): with the setting on, navigations say `Accept-Encoding: …, torrent`,
// and a site that answers with its torrent is shown from peers, with no .torrent left in the
// downloads; with it off (the default), the site's page loads as ever and no header rule exists.
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startOrigin, startSeeder, startTracker, TEST_TLS, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')

// Runs in an extension page: the extension's header rules and its downloads list.
const rulesAndDownloads = async (): Promise<{ rules: number, torrents: string[] }> => {
  const api = ((globalThis as { browser?: typeof chrome }).browser ?? chrome)
  const rules = (await api.declarativeNetRequest.getDynamicRules()).length
  const torrents = (await api.downloads.search({})).filter((item) => item.mime === 'application/x-bittorrent' || item.filename.endsWith('.torrent')).map((item) => item.url)
  return { rules, torrents }
}

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let origin: Origin
  let tracker: Tracker
  let seeder: Seeder

  beforeAll(async () => {
    tracker = await startTracker()
    seeder = await startSeeder({ input: SITE, announce: [tracker.wsUrl], name: 'site' })
    origin = await startOrigin({ root: SITE })
    // The site sends its torrent to browsers that say they take one, its page to the others.
    origin.negotiate('/', seeder.torrentFile)
    driver = await launch(name, ['negotiate.test', 'plain.test', 'secure.test', 'quiet.test'])
    expect(await driver.ask('updateSettings', { iceServers: [] })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([seeder?.stop(), tracker?.stop(), origin?.stop()])
  })

  test('off (the default): the site’s own page loads, its request says nothing of torrents, and no header rule exists', async () => {
    const tab = await driver.open(`http://negotiate.test:${origin.port}/`)
    try {
      expect(await tab.text('#greeting')).toBe('Hello from the origin.')
      expect(origin.acceptEncodings.at(-1)).not.toMatch(/torrent/)
      expect(await driver.inExtension(rulesAndDownloads)).toEqual({ rules: 0, torrents: [] })
    } finally {
      await tab.close()
    }
  })

  test('on: the site answers with its torrent, the page renders from peers, and no .torrent file is saved; a page it does not negotiate loads as ever; off again removes the rule', async () => {
    expect(await driver.ask('updateSettings', { advertiseTorrent: true })).toMatchObject({ ok: true })
    await expect.poll(async () => (await driver.inExtension(rulesAndDownloads)).rules).toBe(1)
    const uploadedBefore = seeder.torrent.uploaded
    origin.requests.length = 0
    origin.acceptEncodings.length = 0
    const tab = await driver.openCopy(`http://negotiate.test:${origin.port}/`)
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      expect(await tab.viewer.text('#source')).toBe('the site answered with its torrent (content negotiation)')
      expect(seeder.torrent.uploaded).toBeGreaterThan(uploadedBefore)
      // The navigation and the viewer's one re-fetch of the torrent both said it; the site sent no page.
      expect(origin.acceptEncodings.filter((value) => /(^|,\s*)torrent$/.test(value)).length).toBe(2)
      expect(origin.requests.filter((path) => path !== '/')).toEqual([])
      await expect.poll(async () => (await driver.inExtension(rulesAndDownloads)).torrents).toEqual([])
    } finally {
      await tab.close()
    }
    // A page the site does not negotiate: the header changes nothing, the page loads as ever.
    const about = await driver.open(`http://negotiate.test:${origin.port}/about/`)
    try {
      expect(await about.text('h1')).toBe('About')
      expect(origin.acceptEncodings[origin.requests.lastIndexOf('/about/')]).toMatch(/torrent$/)
    } finally {
      await about.close()
    }
    expect(await driver.ask('updateSettings', { advertiseTorrent: false })).toMatchObject({ ok: true })
    await expect.poll(async () => (await driver.inExtension(rulesAndDownloads)).rules).toBe(0)
  })

  test('on: `torrent` is added to the browser’s own Accept-Encoding over http and https, and an off-site is not told', async () => {
    const secure = await startOrigin({ root: SITE, tls: TEST_TLS })
    const pages = { http: `http://plain.test:${origin.port}/about/`, https: `https://secure.test:${secure.port}/about/` }
    const sent = async (url: string, server: Origin): Promise<string | undefined> => {
      const tab = await driver.open(url)
      try {
        expect(await tab.text('h1')).toBe('About')
        return server.acceptEncodings[server.requests.lastIndexOf('/about/')]
      } finally {
        await tab.close()
      }
    }
    try {
      // What the browser itself says, with the setting off.
      const own = { http: await sent(pages.http, origin), https: await sent(pages.https, secure) }
      expect(own.http).not.toMatch(/torrent/)
      expect(await driver.ask('updateSettings', { advertiseTorrent: true, offSites: ['QUIET.test'] })).toMatchObject({ ok: true })
      await expect.poll(async () => (await driver.inExtension(rulesAndDownloads)).rules).toBe(1)
      expect(await sent(pages.http, origin)).toBe(`${own.http}, torrent`)
      expect(await sent(pages.https, secure)).toBe(`${own.https}, torrent`)
      // The off-site, typed in capitals, gets the browser's own header and nothing more.
      expect(await sent(`http://quiet.test:${origin.port}/about/`, origin)).toBe(own.http)
    } finally {
      expect(await driver.ask('updateSettings', { advertiseTorrent: false, offSites: [] })).toMatchObject({ ok: true })
      await secure.stop()
    }
  })
})
