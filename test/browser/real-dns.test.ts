// A real DNS server: BIND 9 loads the `_torrent.zone` that `peerback publish` wrote (named-checkzone
// passes it) and answers the extension over DNS-over-HTTPS; the origin goes down and each browser
// shows the page from the `peerback seed` seeder, found through BIND's answer.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startBind, startOrigin, type Bind, type Origin } from '../world/index.ts'
import { startPeerback, trackerAndPublish, type Running } from '../world/peerback-process.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')
let work: string
let origin: Origin
let tracker: Running
let seed: Running
let bind: Bind

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'peerback-real-dns-'))
  origin = await startOrigin({ root: SITE })
  const out = join(work, 'out')
  tracker = await trackerAndPublish(SITE, `http://site.test:${origin.port}/`, out)
  bind = await startBind({ zone: 'site.test', fragment: join(out, '_torrent.zone') })
  seed = await startPeerback(['seed', out, '--no-stun', '--interval', '0.5'], /Seeding 3 torrents/)
  await origin.setMode('down')
})

afterAll(async () => {
  const stopped = await Promise.all([seed?.stop(), tracker?.stop()])
  await Promise.all([bind?.stop(), origin?.stop()])
  await rm(work, { recursive: true, force: true })
  for (const finished of stopped) expect(finished?.code).toBe(0)
})

test('named-checkzone accepts the zone with the published fragment', () => {
  expect(bind.checked).toMatch(/loaded serial 1\s+OK/)
})

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  beforeAll(async () => {
    driver = await launch(name, ['site.test', 'dns.test'])
    expect(await driver.ask('updateSettings', { dohResolver: bind.url, iceServers: [] })).toMatchObject({ ok: true })
  })
  afterAll(async () => { await driver?.close() })

  test('origin down: the page comes from the seeder, found through BIND’s DoH answer', async () => {
    const tab = await driver.openCopy(`http://site.test:${origin.port}/about/`)
    try {
      expect(await tab.copy.text('h1')).toBe('About')
      expect(await tab.viewer.text('#source')).toMatch(/DNS page record/)
    } finally {
      await tab.close()
    }
  })
})
