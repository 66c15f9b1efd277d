// Least privilege: the extension as it ships holds neither `downloads` nor (in Chrome) the header
// rules permission; "Advertise torrent support to sites" asks for what it needs when the reader
// turns it on, and a file from peers is saved without the downloads API. Every other browser test
// runs with those permissions granted (test/world/granted.ts), as a reader who turned it on has.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

// Runs in an extension page: the permissions held, and the header rules in force.
const held = async (): Promise<{ permissions: string[], rules: number | null }> => {
  const api = ((globalThis as { browser?: typeof chrome }).browser ?? chrome)
  const permissions = (await api.permissions.getAll()).permissions ?? []
  const rules = api.declarativeNetRequest === undefined ? null : (await api.declarativeNetRequest.getDynamicRules()).length
  return { permissions, rules }
}

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let origin: Origin
  let dead: Origin
  let doh: DohEndpoint
  let tracker: Tracker
  let seeder: Seeder
  let dir: string
  let tarballBytes: Uint8Array

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peerback-permissions-'))
    await writeFile(join(dir, 'payload.bin'), randomBytes(256 * 1024))
    const tarball = join(dir, 'notes.tar.gz')
    execFileSync('tar', ['-czf', tarball, '-C', dir, 'payload.bin'])
    tarballBytes = await readFile(tarball)
    tracker = await startTracker()
    seeder = await startSeeder({ input: [tarball], announce: [tracker.wsUrl] })
    doh = await startDoh()
    origin = await startOrigin({ root: SITE })
    dead = await startOrigin({ root: dir })
    await dead.setMode('down')
    driver = await launch(name, ['plain.test', 'files.test'], { optionalGranted: false })
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  }, 60_000)

  afterAll(async () => {
    await driver?.close()
    await Promise.all([seeder?.stop(), tracker?.stop(), doh?.stop(), origin?.stop(), dead?.stop()])
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  test('installed, it holds no downloads permission, nor header rules where the browser can grant them later; the setting alone changes no request', async () => {
    const installed = await driver.inExtension(held)
    expect(installed.permissions).not.toContain('downloads')
    // Firefox grants header rules only at install, and asks nothing for them there.
    if (name === 'chromium') expect(installed.permissions).not.toContain('declarativeNetRequestWithHostAccess')
    else expect(installed.permissions).toContain('declarativeNetRequestWithHostAccess')
    // A setting that arrives without the permissions (an imported file, another device): nothing happens.
    expect(await driver.ask('updateSettings', { advertiseTorrent: true })).toMatchObject({ ok: true })
    try {
      const tab = await driver.open(`http://plain.test:${origin.port}/about/?not-granted`)
      await tab.close()
      expect(origin.acceptEncodings[origin.requests.lastIndexOf('/about/?not-granted')]).toMatch(/^gzip/)
      expect((await driver.inExtension(held)).rules ?? 0).toBe(0)
    } finally {
      expect(await driver.ask('updateSettings', { advertiseTorrent: false })).toMatchObject({ ok: true })
    }
  })

  test('a file from peers is saved without the downloads permission, handed to the browser like a link’s download', async () => {
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1('/notes.tar.gz')}._torrent.files.test`, records.value)
    const tab = await driver.openCopy(`http://files.test:${dead.port}/notes.tar.gz`, { until: 'viewer' })
    try {
      await expect.poll(async () => await tab.viewer.text('#status'), { timeout: 60_000 }).toBe('Handed notes.tar.gz to the browser to save to your downloads.')
      expect(await tab.viewer.text('#file .file-facts')).toContain(sha256(tarballBytes))
    } finally {
      await tab.close()
    }
  })

  // Chrome's permission prompt cannot be answered by any test (nor by WebDriver); Firefox grants
  // without a prompt in the test world (test/world/firefox.ts), after the same request.
  test.runIf(name === 'firefox')('turning on "Advertise torrent support to sites" asks for the downloads permission and, granted, advertises', async () => {
    const settings = await driver.openSettings()
    try {
      await settings.setChecked('Advertise torrent support to sites', true)
      await expect.poll(async () => (await driver.inExtension(held)).permissions).toContain('downloads')
      expect(await settings.problemFor('Advertise torrent support to sites')).toBeNull()
      await settings.save()
      await expect.poll(async () => (await driver.inExtension(held)).rules).toBe(1)
      const tab = await driver.open(`http://plain.test:${origin.port}/about/?granted`)
      await tab.close()
      expect(origin.acceptEncodings[origin.requests.lastIndexOf('/about/?granted')]).toMatch(/, torrent$/)
    } finally {
      expect(await driver.ask('updateSettings', { advertiseTorrent: false })).toMatchObject({ ok: true })
      await settings.close()
    }
  })
})
