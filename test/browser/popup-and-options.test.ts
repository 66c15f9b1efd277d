// The popup and the options page as a user meets them: settings typed and saved (or refused
// beside their field), the popup's words and live figures for a tab fetching and seeding a copy,
// and the screenshots the README shows (Chromium).
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { expectStoreImage, STORE_SIZE, storeImage } from './store-images.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const IMAGES = resolve('docs/images')
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

/** A PNG that is more than a blank page: big enough, and not one colour throughout. */
async function expectContent (path: string): Promise<void> {
  const png = await readFile(path)
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  expect(png.length).toBeGreaterThan(5_000)
}

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let folder: string
  let tracker: Tracker
  let seeder: Seeder
  let doh: DohEndpoint
  let origin: Origin

  beforeAll(async () => {
    folder = join(await mkdtemp(join(tmpdir(), 'peerback-popup-')), 'post')
    await mkdir(folder)
    // A heavy page (256 KiB) from a throttled seeder: its copy is still arriving while the popup
    // is looked at and photographed.
    await writeFile(join(folder, 'index.html'), `<!doctype html><title>Post</title><h1 id="title">A slow download</h1><!-- ${'x'.repeat(256 * 1024)} -->`)
    await writeFile(join(folder, 'data.bin'), randomBytes(384 * 1024))
    tracker = await startTracker()
    // Slow on purpose: the popup is looked at while the copy is still arriving.
    seeder = await startSeeder({ input: folder, announce: [tracker.wsUrl], pieceLength: 16 * 1024, uploadLimit: 64 * 1024 })
    origin = await startOrigin({ root: folder })
    await origin.setMode('down')
    doh = await startDoh()
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1('/')}._torrent.site.test`, records.value)
    driver = await launch(name)
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    // The Node peer first: it closes its own connections rather than having them cut under it.
    await seeder?.stop()
    await driver?.close()
    await Promise.all([doh?.stop(), origin?.stop(), tracker?.stop()])
    if (folder !== undefined) await rm(join(folder, '..'), { recursive: true, force: true })
  })

  test('the options page saves what is typed, and refuses a bad value beside its field, keeping the stored one', async () => {
    const page = await driver.openSettings()
    try {
      if (name === 'chromium') {
        await page.screenshot(join(IMAGES, 'options.png')) // at rest, as a reader first sees it
        await expectContent(join(IMAGES, 'options.png'))
        await page.screenshot(storeImage('3-options.png'), STORE_SIZE)
        await expectStoreImage(storeImage('3-options.png'))
      }
      expect(await page.valueOf('Seeding ratio target')).toBe('2')
      await page.type('Seeding ratio target', '1.5')
      await page.setChecked('Pre-warm pointers', true)
      await page.save()
      await expect.poll(async () => await page.savedText()).toBe('Saved.')
      expect(await driver.ask('settings', {})).toMatchObject({ ratioTarget: 1.5, prewarmPointers: true })

      const resolver = (await driver.ask('settings', {})).dohResolver
      await page.type('DNS-over-HTTPS resolver', 'http://dns.example/dns-query')
      await page.type('Seeding ratio target', '-1')
      await page.setChecked('Share what I read with other readers', false)
      await page.save()
      // Said once, with how many fields need a look; each field's problem is beside it.
      await expect.poll(async () => await page.savedText()).toBe('Nothing was saved: 2 fields need a look (marked above).')
      expect(await page.problemFor('DNS-over-HTTPS resolver')).toMatch(/must use https/)
      expect(await page.problemFor('Seeding ratio target')).toMatch(/0 \(no limit\) or more/)
      expect(await page.problemFor('Automatic failover')).toBeNull()
      expect(await driver.ask('settings', {})).toMatchObject({ dohResolver: resolver, ratioTarget: 1.5, shareWhileReading: true })
    } finally {
      await page.close()
      await driver.ask('updateSettings', { dohResolver: doh.url, ratioTarget: 2, prewarmPointers: false })
    }
  })

  test('the popup names the tab’s state and shows figures that move while the copy downloads, then while it is shared', async () => {
    const url = `http://site.test:${origin.port}/`
    const tab = await driver.openCopy(url, { until: 'viewer' })
    const tabId = await tab.tabId()
    const popup = await driver.popupFor(tabId)
    try {
      await expect.poll(async () => await popup.text('#status'), { timeout: 15_000 }).toMatch(/Fetching a copy of this page from other readers/)
      await expect.poll(async () => await popup.visible('#progress')).toBe(true)
      expect(await popup.attribute('#progress', 'aria-label')).toBe('Copy downloaded')
      expect((await driver.badgeOf(tabId)).text).toMatch(/^(↓|↑\d*)$/)
      const first = await popup.text('#stat-down')
      await expect.poll(async () => await popup.text('#stat-down'), { timeout: 15_000 }).not.toBe(first)
      // Photographed while it is really fetching.
      expect(await popup.text('#status')).toMatch(/Fetching a copy of this page from other readers/)
      if (name === 'chromium') {
        await popup.screenshot(join(IMAGES, 'popup-fetching.png'))
        await expectContent(join(IMAGES, 'popup-fetching.png'))
      }
      await expect.poll(async () => await popup.text('#status'), { timeout: 30_000 }).toMatch(/sharing it with other readers/)
      expect(await popup.text('#stat-peers')).toMatch(/^[1-9]/)
      expect(await popup.text('#stat-ratio')).toMatch(/of 2$/)
      expect(await popup.text('#stat-source')).toMatch(/DNS page record/)
      expect(await popup.visible('#stop-seeding')).toBe(true)
      expect(await popup.visible('#retry-site')).toBe(true)
      await expect.poll(async () => await driver.badgeOf(tabId)).toEqual({ text: expect.stringMatching(/^↑[1-9]\d*$/), title: expect.stringMatching(/^Peerback: showing a copy, and sharing it with (1 peer|[2-9] peers|[1-9]\d+ peers)$/) })
      if (name === 'chromium') {
        await popup.screenshot(join(IMAGES, 'popup-seeding.png'))
        await expectContent(join(IMAGES, 'popup-seeding.png'))
      }
      // The progress bar goes once the whole copy is here. (Waiting for it also keeps the tab from
      // closing under the throttled seeder's queued writes, which can crash the native WebRTC.)
      await expect.poll(async () => await popup.visible('#progress'), { timeout: 30_000 }).toBe(false)
    } finally {
      await popup.close()
      await tab.close()
    }
  })
})
