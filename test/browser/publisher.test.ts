// A site owner's whole path, with the real processes: `peerback publish` makes the records,
// `peerback doh` serves them, `peerback seed` seeds, `peerback tracker` introduces; the origin goes
// down and Chromium with the extension shows the page, served by that seeder.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startOrigin, type Origin } from '../world/index.ts'
import { startPeerback, trackerAndPublish, type Running } from '../world/peerback-process.ts'
import { launch, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')
let work: string
let origin: Origin
let tracker: Running
let doh: Running
let seed: Running
let driver: Driver

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'peerback-publisher-'))
  origin = await startOrigin({ root: SITE })
  const out = join(work, 'out')
  tracker = await trackerAndPublish(SITE, `http://site.test:${origin.port}/`, out)
  doh = await startPeerback(['doh', '--zone', join(out, '_torrent.zone'), '--port', '0'], /dns-query/)
  seed = await startPeerback(['seed', out, '--no-stun', '--interval', '0.5'], /Seeding 3 torrents/)
  driver = await launch('chromium', ['site.test'])
  const resolverUrl = /http:\/\/\S+\/dns-query/.exec(doh.output.stdout)?.[0] as string
  expect(await driver.ask('updateSettings', { dohResolver: resolverUrl, iceServers: [] })).toMatchObject({ ok: true })
})

afterAll(async () => {
  await driver?.close()
  // The seeder first: its peers go away with the browser, not under it.
  const stopped = await Promise.all([seed?.stop(), doh?.stop(), tracker?.stop()])
  await origin?.stop()
  await rm(work, { recursive: true, force: true })
  for (const finished of stopped) expect(finished?.code).toBe(0)
})

test('origin down: the page comes from the peerback seeder, found through the published DNS record', async () => {
  await origin.setMode('down')
  const tab = await driver.openCopy(`http://site.test:${origin.port}/about/`)
  try {
    expect(await tab.copy.text('h1')).toBe('About')
    expect(await tab.viewer.text('#source')).toMatch(/DNS page record/)
    // Styled by the page torrent's own copy of the shared stylesheet.
    expect(await tab.copy.evaluate(() => getComputedStyle(document.querySelector('h1') as Element).color)).toBe('rgb(15, 118, 110)')
    // The seeder's own status line: a peer, and bytes sent to it.
    await expect.poll(() => /peers [1-9]\d* {2}uploaded [1-9]/.test(seed.output.stdout), { timeout: 15_000 }).toBe(true)
  } finally {
    await tab.close()
    await origin.setMode('up')
  }
})
