// Failover as a reader sees it: the site fails, and the tab shows the page from peers — its text,
// its styles, its image and its scripts — or, when the site merely said 404, nothing happens.
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

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
    doh = await startDoh()
    driver = await launch(name)
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
      expect(await tab.copy.evaluate(() => getComputedStyle(document.querySelector('h1') as Element).color)).toBe('rgb(15, 118, 110)')
      expect(await tab.copy.evaluate(async () => {
        const image = document.querySelector('img') as HTMLImageElement
        await image.decode().catch(() => {})
        return image.naturalWidth
      })).toBeGreaterThan(0)
      expect(await tab.copy.text('#script-effect')).toBe(name === 'chromium' ? 'Scripts ran.' : 'Scripts did not run.')
      expect(await tab.viewer.text('#original-url')).toBe(at('/'))
      expect(await tab.viewer.text('#source')).toMatch(/DNS page record/)
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })
})
