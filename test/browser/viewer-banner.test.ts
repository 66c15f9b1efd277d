// The viewer as a reader meets it over a copy: the tab shows the copy's own title and icon, the
// copy's age stands out, "Copy link" copies the page's real address, and once the site answers
// again the banner says so and opens the live page.
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startOrigin, startSeeder, startTracker, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { expectStoreImage, STORE_SIZE, storeImage } from './store-images.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')
const HOUR = 3600 * 1000
const DAY = 24 * HOUR

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let origin: Origin
  let tracker: Tracker
  let seeder: Seeder

  beforeAll(async () => {
    tracker = await startTracker()
    seeder = await startSeeder({ input: SITE, announce: [tracker.wsUrl], name: 'site' })
    // A magnet's metadata carries no creation date: the page's Last-Modified tells the copy's age
    // (no-cache: else the browser would serve the page from its cache, heuristically fresh).
    origin = await startOrigin({ root: SITE, headers: { 'X-Torrent': seeder.magnetURI, 'Last-Modified': new Date(Date.now() - 3 * DAY - HOUR).toUTCString(), 'Cache-Control': 'no-cache' } })
    driver = await launch(name)
    expect(await driver.ask('updateSettings', { iceServers: [] })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    await seeder?.stop()
    await driver?.close()
    await Promise.all([origin?.stop(), tracker?.stop()])
  })

  test('a same-site link inside the copy stays in the copy: the same viewer shows that page, with no new download', async () => {
    const url = `http://site.test:${origin.port}/?links`
    const tab = await driver.openCopy(url, { after: url, breakSite: async () => { await origin.setMode('down') } })
    try {
      await tab.viewer.evaluate(() => { document.body.dataset.sameViewer = 'yes' })
      await tab.click('a[href*="about"]')
      await expect.poll(async () => await tab.viewer.evaluate(() => new URLSearchParams(location.search).get('url'))).toBe(`http://site.test:${origin.port}/about/`)
      await expect.poll(async () => await tab.copy.text('h1').catch(() => null)).toBe('About')
      expect(await tab.viewer.evaluate(() => document.body.dataset.sameViewer)).toBe('yes')
      expect(await tab.viewer.text('#original-url')).toBe(`http://site.test:${origin.port}/about/`)
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })

  test('the copy’s title, icon and age; "Copy link"; and the site back, asked about once a minute', async () => {
    const url = `http://site.test:${origin.port}/`
    const tab = await driver.openCopy(url, { after: url, breakSite: async () => { await origin.setMode('down') } })
    try {
      expect(await tab.viewer.evaluate(() => document.title)).toBe('Fixture blog')
      await expect.poll(async () => await tab.viewer.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '')).toMatch(/^blob:/)
      expect(await tab.viewer.text('#age')).toBe('Copy made 3 days ago')
      if (name === 'chromium') {
        await tab.screenshot(resolve('docs/images/viewer.png'))
        await tab.screenshot(storeImage('1-copy.png'), STORE_SIZE)
        await expectStoreImage(storeImage('1-copy.png'))
      }

      // What reaches the clipboard is noted on the way (reading it back needs a permission the
      // extension does not have); the write itself is the browser's.
      await tab.viewer.evaluate(() => {
        const write = navigator.clipboard.writeText.bind(navigator.clipboard)
        navigator.clipboard.writeText = async (text) => { document.body.dataset.copied = text; await write(text) }
      })
      await tab.clickViewer('#copy-link')
      await expect.poll(async () => await tab.viewer.text('#status')).toBe('Link copied.')
      expect(await tab.viewer.evaluate(() => document.body.dataset.copied)).toBe(url)

      // The site comes back: the viewer's next probe (a minute after the copy showed) finds it.
      await origin.setMode('up')
      const asked = origin.requests.length
      await expect.poll(async () => await tab.viewer.text('#site-back'), { timeout: 75_000, interval: 500 }).toBe(`site.test:${origin.port} is back — Open the live page`)
      expect(origin.requests.slice(asked)).toEqual(['/']) // one probe, for the page itself
      await tab.clickViewer('#site-back button')
      await expect.poll(() => tab.url()).toBe(url)
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })
})
