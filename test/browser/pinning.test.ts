// Pinning (issue 8, case 7): the site's own HTTPS response named torrent A for a page; later, with
// the page's pointer gone from the cache (evicted) and the site down, DNS names torrent B. The
// viewer fetches nothing and warns; only the reader's click shows B.
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, TEST_TLS, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let origin: Origin
  let doh: DohEndpoint
  let tracker: Tracker
  let pinned: Seeder // the torrent the site's header named
  let other: Seeder // the one DNS names instead
  let home: string

  beforeAll(async () => {
    tracker = await startTracker()
    doh = await startDoh()
    origin = await startOrigin({ root: resolve('test/fixtures/site'), tls: TEST_TLS })
    pinned = await startSeeder({ input: resolve('test/fixtures/site'), announce: [tracker.wsUrl], name: 'site' })
    home = await mkdtemp(join(tmpdir(), 'peerback-pinning-'))
    await mkdir(join(home, 'site'))
    await writeFile(join(home, 'site', 'index.html'), '<!doctype html><title>Other</title><h1>Not what the site named</h1>')
    other = await startSeeder({ input: join(home, 'site'), announce: [tracker.wsUrl], name: 'site' })
    driver = await launch(name, ['pin.test'])
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([pinned?.stop(), other?.stop(), tracker?.stop(), doh?.stop(), origin?.stop()])
    if (home !== undefined) await rm(home, { recursive: true, force: true })
  })

  test('a DNS answer against the site’s HTTPS header: a warning, nothing fetched, the copy only on the reader’s click', async () => {
    const url = `https://pin.test:${origin.port}/`
    origin.setHeaders({ 'X-Torrent': pinned.magnetURI })
    const records = encodeTorrentRecords(other.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1('/')}._torrent.pin.test`, records.value)
    const tab = await driver.openCopy(url, {
      after: url,
      breakSite: async () => {
        await expect.poll(async () => (await driver.ask('cachedPointers', { url }))?.torrents.length).toBe(1)
        await driver.removeStored([`pointer:${url}`])
        await origin.setMode('down')
      },
      until: 'viewer'
    })
    try {
      await expect.poll(async () => await tab.viewer.evaluate(() => document.getElementById('pin-warning')?.hidden)).toBe(false)
      expect(await tab.viewer.text('#pin-text')).toMatch(new RegExp(`different copy than the one pin\\.test:${origin.port} itself named over HTTPS`))
      // The viewer waits for the reader's click before anything is fetched (banner.readerChooses).
      expect(await tab.viewer.text('#status')).toMatch(/waiting for you/i)
      expect(other.torrent.uploaded).toBe(0)
      expect(await tab.viewer.text('#copy')).toBe('')

      await tab.clickViewer('#pin-show')
      await expect.poll(async () => await tab.viewer.text('#status'), { timeout: 30_000 }).toMatch(/^Showing the copy/)
      await expect.poll(async () => await tab.copy.text('h1').catch(() => null)).toBe('Not what the site named')
      expect(await tab.viewer.evaluate(() => document.getElementById('pin-warning')?.hidden)).toBe(true)
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })
})
