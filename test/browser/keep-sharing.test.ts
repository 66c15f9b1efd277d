// A swarm that outlives the tabs (issue 22): five readers with "Keep sharing pages I've read" on
// read ten pages of a site while it is healthy, one reader after another, and close their tabs. The
// first two find each page's swarm thin and fetch it to keep; the others find enough readers and
// fetch nothing more. The browsers restart; the site and its seeders go down; a new reader opens
// each page and gets every one, from the readers who kept it. The site's seeders served at most K
// copies of each page to the warming.
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type Driver } from './drivers.ts'

const PAGES = 10
const READERS = 5
const K = 3
/** Firefox's event page idle time in the Firefox test. */
const IDLE_MS = 8000
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')
const pagePath = (index: number): string => `/page-${index}.html`

let home: string
let tracker: Tracker
let doh: DohEndpoint
let origin: Origin
const seeders: Seeder[] = []
const drivers = new Set<Driver>()

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'peerback-keep-'))
  tracker = await startTracker()
  doh = await startDoh()
  await mkdir(join(home, 'site'))
  for (let index = 0; index < PAGES; index++) {
    // Some 40 KiB each, so a page is several pieces and the seeders' upload is measurable.
    const body = `<!doctype html><title>Page ${index}</title><h1>Page ${index} of the kept site</h1><p>${`words of page ${index} `.repeat(2000)}</p>`
    const file = join(home, 'site', pagePath(index).slice(1))
    await writeFile(file, body)
    seeders.push(await startSeeder({ input: [file], announce: [tracker.wsUrl], pieceLength: 16 * 1024 }))
  }
  origin = await startOrigin({ root: join(home, 'site') })
  for (const [index, seeder] of seeders.entries()) {
    origin.setPathHeaders(pagePath(index), { 'X-Torrent': seeder.magnetURI })
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1(pagePath(index))}._torrent.keep.test`, records.value)
  }
}, 120_000)

afterAll(async () => {
  for (const driver of drivers) await driver.close()
  await Promise.all(seeders.map(async (seeder) => { await seeder.stop() }))
  await Promise.all([origin?.stop(), doh?.stop(), tracker?.stop()])
  if (home !== undefined) await rm(home, { recursive: true, force: true })
})

async function reader (profileDir?: string): Promise<Driver> {
  const driver = await launch('chromium', ['keep.test'], profileDir === undefined ? {} : { profileDir })
  drivers.add(driver)
  return driver
}

async function close (driver: Driver): Promise<void> {
  drivers.delete(driver)
  await driver.close()
}

test('Chromium: pages kept by five readers come back from them after a restart, with the site and its seeders down', { timeout: 300_000 }, async () => {
  const url = (index: number): string => `http://keep.test:${origin.port}${pagePath(index)}`
  const profiles = await Promise.all(Array.from({ length: READERS }, async (_, index) => await mkdtemp(join(home, `reader-${index}-`))))

  // Each reader reads the ten pages with the setting on, and closes each tab; the browsers stay
  // open (sharing) while the next reader reads.
  let readers: Driver[] = []
  const kept: number[] = []
  for (const profileDir of profiles) {
    const driver = await reader(profileDir)
    readers.push(driver)
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [], keepSharing: true })).toMatchObject({ ok: true })
    for (let index = 0; index < PAGES; index++) {
      const tab = await driver.open(url(index))
      expect(await tab.text('h1')).toBe(`Page ${index} of the kept site`)
      await tab.close()
      // What became of the page: fetched to keep (then kept), or not, as enough readers share it.
      await expect.poll(async () => (await driver.ask('sharing', { page: url(index) })).page, { timeout: 30_000 }).toMatch(/^(kept|enough)$/)
    }
    kept.push((await driver.ask('sharing', {})).pages)
  }
  // The site's seeder and the first two readers make three: the others fetch nothing to keep.
  expect(kept).toEqual([PAGES, PAGES, 0, 0, 0])
  const status = await readers[0]?.ask('sharing', {})
  expect(status).toMatchObject({ on: true, pages: PAGES, sites: ['keep.test'] })
  // The warming cost the site at most K copies of each page.
  for (const seeder of seeders) expect(seeder.torrent.uploaded).toBeLessThanOrEqual(K * seeder.torrent.length)

  // The browsers restart; then the site and its seeders go down.
  for (const driver of readers) await close(driver)
  await origin.setMode('down')
  await Promise.all(seeders.map(async (seeder) => { await seeder.stop() }))
  seeders.length = 0
  readers = []
  for (const profileDir of profiles.slice(0, 2)) readers.push(await reader(profileDir))
  // Each shares its kept pages again from disk, without fetching anything.
  for (const driver of readers) {
    await expect.poll(async () => await driver.ask('sharing', {}), { timeout: 30_000 }).toMatchObject({ pages: PAGES, peers: expect.any(Number) })
  }

  const newcomer = await reader()
  expect(await newcomer.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  for (let index = 0; index < PAGES; index++) {
    const copy = await newcomer.openCopy(url(index))
    expect(await copy.copy.text('h1')).toBe(`Page ${index} of the kept site`)
    await copy.close()
  }

  // The popup says what is kept, and that this page is; "Stop sharing all" deletes it all.
  const keeper = readers[0] as Driver
  const copy = await keeper.openCopy(url(0))
  const popup = await keeper.popupFor(await copy.tabId())
  await expect.poll(async () => await popup.text('#sharing')).toMatch(/^Keeping 10 pages \(.+\) of keep\.test\. .+ uploaded today; readers connected now: \d+\. You keep sharing this page\.$/)
  expect(await popup.visible('#stop-sharing')).toBe(true)
  await popup.close()
  await copy.close()
  const options = await keeper.openSettings()
  await expect.poll(async () => await options.text('#sharing-status')).toMatch(/^Keeping 10 pages/)
  await options.click('#stop-sharing')
  await expect.poll(async () => await options.text('#sharing-status')).toBe('Stopped: the kept pages are deleted.')
  expect(await keeper.ask('sharing', {})).toMatchObject({ on: true, pages: 0, peers: null })
  expect(await keeper.prefetchHostOpen()).toBe(false)
  expect(await keeper.inExtension(async () => {
    const kept = await (await navigator.storage.getDirectory()).getDirectoryHandle('kept', { create: true }) as FileSystemDirectoryHandle & { keys: () => AsyncIterable<string> }
    const left: string[] = []
    for await (const name of kept.keys()) left.push(name)
    return left
  })).toEqual([])
  await options.close()
})

test('Firefox: a copy the reader opened is kept and shared by the background page after its tab closes, past the page’s idle time', async () => {
  const file = join(home, 'site', 'opened.html')
  await writeFile(file, '<!doctype html><title>Opened</title><h1>A copy opened in Firefox</h1>')
  const seeder = await startSeeder({ input: [file], announce: [tracker.wsUrl] })
  seeders.push(seeder)
  const site = await startOrigin({ root: join(home, 'site') })
  try {
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1('/opened.html')}._torrent.kept.test`, records.value)
    await site.setMode('down')
    // An event page idles out after this long without events (Firefox's default is 30 s); the
    // host keeps it awake every 5 s while it shares.
    const firefox = await launch('firefox', ['kept.test'], { firefoxPrefs: { 'extensions.background.idle.timeout': IDLE_MS } })
    drivers.add(firefox)
    expect(await firefox.ask('updateSettings', { dohResolver: doh.url, iceServers: [], keepSharing: true })).toMatchObject({ ok: true })
    const url = `http://kept.test:${site.port}/opened.html`
    const copy = await firefox.openCopy(url)
    expect(await copy.copy.text('h1')).toBe('A copy opened in Firefox')
    await expect.poll(async () => await firefox.ask('sharing', {})).toMatchObject({ pages: 1, sites: ['kept.test'] })
    await copy.close()
    // Nothing of the test's asks Firefox anything now; the host keeps the event page awake, which
    // notes it each time: seen here for twice the idle time past that.
    await firefox.goQuiet()
    const quietAt = Date.now()
    await expect.poll(async () => Number(await firefox.sessionValue('host-awake')) - quietAt, { timeout: 4 * IDLE_MS }).toBeGreaterThan(2 * IDLE_MS)
    await seeder.stop()
    seeders.splice(seeders.indexOf(seeder), 1)

    const newcomer = await reader()
    expect(await newcomer.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
    const again = await newcomer.openCopy(url)
    expect(await again.copy.text('h1')).toBe('A copy opened in Firefox')
  } finally {
    await site.stop()
  }
})
