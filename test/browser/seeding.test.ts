// Chromium: readers carry the load. A fetches the copy from the site's seeder; the seeder goes
// away; B fetches it from A; A stops uploading at the ratio target of 1.0 its reader set on the
// options page while the copy was open; when A's tab closes,
// C finds no one sharing and says so.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type Driver } from './drivers.ts'

const PIECE = 16 * 1024
let folder: string
let tracker: Tracker
let seeder: Seeder
let doh: DohEndpoint
let closed: Origin
const drivers: Driver[] = []

beforeAll(async () => {
  folder = join(await mkdtemp(join(tmpdir(), 'peerback-seeding-')), 'post')
  await mkdir(folder)
  await writeFile(join(folder, 'index.html'), '<!doctype html><title>Big post</title><h1 id="title">A popular post</h1><link rel="prefetch" href="/data.bin">')
  await writeFile(join(folder, 'data.bin'), randomBytes(256 * 1024))
  tracker = await startTracker()
  seeder = await startSeeder({ input: folder, announce: [tracker.wsUrl], pieceLength: PIECE })
  closed = await startOrigin({ root: folder })
  await closed.setMode('down')
  doh = await startDoh()
  const records = encodeTorrentRecords(seeder.torrentFile)
  if (!records.ok) throw records.error
  doh.setTxt(`${createHash('sha1').update('/').digest('hex')}._torrent.popular.test`, records.value)
})

afterAll(async () => {
  for (const driver of drivers) await driver.close()
  await Promise.all([doh?.stop(), closed?.stop(), seeder?.stop(), tracker?.stop()])
  if (folder !== undefined) await rm(join(folder, '..'), { recursive: true, force: true })
})

async function reader (settings: { ratioTarget?: number, shareWhileReading?: boolean, uploadLimitKiBps?: number }): Promise<Driver> {
  const driver = await launch('chromium')
  drivers.push(driver)
  expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [], ...settings })).toMatchObject({ ok: true })
  return driver
}

const stat = async (tab: { viewer: { evaluate: <T>(fn: () => T) => Promise<T> } }): Promise<Record<string, string>> =>
  await tab.viewer.evaluate(() => ({ ...(document.getElementById('stats') as HTMLElement).dataset }) as Record<string, string>)

test('seeding while open, the ratio target, and "no one is sharing"', async () => {
  const url = `http://popular.test:${closed.port}/`
  const size = seeder.torrent.length

  const a = await reader({})
  const tabA = await a.openCopy(url)
  expect(await tabA.copy.text('#title')).toBe('A popular post')
  // A's reader lowers the ratio target from 2 to 1 on the options page while the copy is open:
  // the running viewer follows it without a reload.
  const options = await a.openSettings()
  await options.type('Seeding ratio target', '1')
  await options.save()
  await expect.poll(async () => await options.savedText()).toBe('Saved.')
  await options.close()
  await expect.poll(async () => (await stat(tabA)).done, { timeout: 20_000 }).toBe('true')
  await seeder.stop()

  const b = await reader({ shareWhileReading: false })
  const tabB = await b.openCopy(url)
  expect(await tabB.copy.text('#title')).toBe('A popular post')
  await expect.poll(async () => (await stat(tabB)).done, { timeout: 20_000 }).toBe('true')
  // The banner's figures are refreshed every second.
  await expect.poll(async () => Number((await stat(tabA)).uploaded)).toBeGreaterThanOrEqual(size)

  // A has uploaded one copy's worth: C (which B, never uploading, cannot serve) gets no more from it.
  const peersBeforeC = Number((await stat(tabA)).peers)
  const c = await reader({})
  const page = await c.chromium?.context.newPage()
  if (page === undefined) throw new Error('no Chromium')
  await page.goto(url).catch(() => {})
  await page.waitForURL(/viewer\.html/, { timeout: 20_000 })
  // C is connected to A (A has one peer more than before C came), and A, past its ratio, sends it
  // nothing: with A still there, C's viewer says no one is sharing (no bytes for 15 s).
  await expect.poll(async () => Number((await stat(tabA)).peers), { timeout: 20_000 }).toBeGreaterThan(peersBeforeC)
  await expect.poll(async () => await page.evaluate(() => document.getElementById('notice')?.textContent ?? ''), { timeout: 30_000, interval: 1000 })
    .toMatch(/No one is sharing this page right now/)
  expect(Number((await stat(tabA)).uploaded)).toBeLessThanOrEqual(size + PIECE)
  expect(await page.evaluate(() => document.getElementById('stats')?.dataset.done)).not.toBe('true')
  await tabA.close()
  await tabB.close()
})

test('an upload limit holds a reader to its rate: a second reader takes as long as the limit says', async () => {
  const limited = join(folder, '..', 'limited')
  await mkdir(limited)
  await writeFile(join(limited, 'index.html'), '<!doctype html><title>Limited</title><h1 id="title">A limited post</h1>')
  const size = 512 * 1024
  await writeFile(join(limited, 'data.bin'), randomBytes(size))
  const source = await startSeeder({ input: limited, announce: [tracker.wsUrl], pieceLength: PIECE })
  try {
    const records = encodeTorrentRecords(source.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt(`${createHash('sha1').update('/').digest('hex')}._torrent.limited.test`, records.value)
    const url = `http://limited.test:${closed.port}/`

    const a = await reader({ uploadLimitKiBps: 64 })
    const tabA = await a.openCopy(url)
    await expect.poll(async () => (await stat(tabA)).done, { timeout: 20_000 }).toBe('true')
    await source.stop()

    const b = await reader({ shareWhileReading: false })
    const started = Date.now()
    const tabB = await b.openCopy(url)
    await expect.poll(async () => (await stat(tabB)).done, { timeout: 30_000, interval: 250 }).toBe('true')
    // 512 KiB at 64 KiB/s is 8 s; a limit that does nothing takes about 2 s here. Only a lower
    // bound is asserted: a busy machine can make it slower, never faster.
    expect(Date.now() - started).toBeGreaterThan(6000)
    await tabA.close()
    await tabB.close()
  } finally {
    await source.stop()
  }
})
