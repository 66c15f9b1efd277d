// Many at once (issue 8, case 6): 20 tabs of a site that dies at one moment all fail over together.
// Every tab ends with its copy or a clear error; the extension keeps answering; once the tabs
// close, nothing of them is left: no tab state, no peer connection to the site's seeder.
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type Driver, type Tab } from './drivers.ts'

const TABS = 20

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let origin: Origin
  let doh: DohEndpoint
  let tracker: Tracker
  let seeder: Seeder

  beforeAll(async () => {
    tracker = await startTracker()
    doh = await startDoh()
    seeder = await startSeeder({ input: resolve('test/fixtures/site'), announce: [tracker.wsUrl], name: 'site' })
    origin = await startOrigin({ root: resolve('test/fixtures/site') })
    const records = encodeTorrentRecords(seeder.torrentFile)
    if (!records.ok) throw records.error
    doh.setTxt('_torrent.many.test', records.value) // the site record: every ?tab=N page
    driver = await launch(name, ['many.test'])
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([seeder?.stop(), tracker?.stop(), doh?.stop(), origin?.stop()])
  })

  test(`${TABS} tabs whose site dies at once: each gets its copy or a clear error, and closing them leaves nothing behind`, async () => {
    const tabs: Tab[] = []
    await origin.setMode('up')
    try {
      for (let index = 0; index < TABS; index++) tabs.push(await driver.open(`http://many.test:${origin.port}/?tab=${index}`))
      await origin.setMode('down')
      await Promise.all(tabs.map(async (tab) => { await tab.reload().catch(() => {}) }))

      const ended = async (tab: Tab): Promise<string> => {
        const state = await driver.ask('tabState', { tabId: tab.id })
        if (state === null) return 'none'
        if (state.phase === 'showing' || state.phase === 'seeding') return 'copy'
        if ((state.phase === 'error' || state.phase === 'no-copy') && (state.message ?? '') !== '') return 'clear error'
        return state.phase
      }
      await expect.poll(async () => (await Promise.all(tabs.map(ended))).filter((end) => end !== 'copy' && end !== 'clear error'), { timeout: 120_000, interval: 1000 }).toEqual([])
      const ends = await Promise.all(tabs.map(ended))
      console.log(`${name}: ${ends.filter((end) => end === 'copy').length} of ${TABS} tabs show their copy, ${ends.filter((end) => end === 'clear error').length} a clear error`)
      // On a loopback with one seeder, every tab should in fact get its copy.
      expect(ends.filter((end) => end === 'copy')).toHaveLength(TABS)

      const closed = tabs.splice(0)
      await Promise.all(closed.map(async (tab) => { await tab.close() }))
      // Each tab's state goes once the background has handled its closing (and a viewer's last report does not bring it back).
      for (const tab of closed) await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id })).toBeNull()
      await expect.poll(() => seeder.torrent.wires.length, { timeout: 20_000 }).toBe(0)

      // Still working: one more failover after all that.
      await origin.setMode('up')
      const after = await driver.open(`http://many.test:${origin.port}/about/`)
      tabs.push(after)
      await origin.setMode('down')
      await after.reload().catch(() => {})
      await expect.poll(async () => await ended(after), { timeout: 30_000 }).toBe('copy')
    } finally {
      await Promise.all(tabs.map(async (tab) => { await tab.close().catch(() => {}) }))
    }
  }, 240_000)
})
