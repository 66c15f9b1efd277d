// Which pages a reader keeps sharing, and what the sharing host is asked to do (background/
// keep-sharing.ts), over storage.local in memory, a fake host and a clock the test moves: the disk
// budget (least recently read first), a republished page, pins, the list of sites, the setting
// turned off, pausing, "Stop sharing all", the day's upload budget, and sharing again at start.
import { expect, test } from 'vitest'
import { keepSharing, OFFER_AGAIN_MS, type SharingHost } from '../../src/background/keep-sharing.ts'
import type { Pin } from '../../src/background/pointer-cache.ts'
import type { SwarmSize } from '../../src/copy/scrape.ts'
import type { FoundPointer } from '../../src/lib/discovery.ts'
import type { KeepRequest, KeptTorrent } from '../../src/lib/kept.ts'
import { DEFAULT_SETTINGS, type Settings } from '../../src/lib/settings.ts'
import { memoryArea } from './memory-area.ts'

const MiB = 1024 * 1024
const hash = (digit: string): string => digit.repeat(40)
const request = (digit: string, page: string, bytes = MiB): KeepRequest => ({ infoHash: hash(digit), page, torrentFile: 'ZGU=', bytes, how: 'opened' })
const pointer = (digit: string): FoundPointer => ({ kind: 'magnet', magnet: { infoHash: hash(digit), trackers: ['wss://tracker.example'], webSeeds: [], uri: `magnet:?xt=urn:btih:${hash(digit)}` } })

function world (overrides: Partial<Settings> = {}, pins: Record<string, Pin> = {}) {
  const local = memoryArea()
  let settings: Settings = { ...DEFAULT_SETTINGS, keepSharing: true, ...overrides }
  let clock = Date.parse('2026-12-03T10:00:00Z')
  const calls: string[] = []
  const shared = new Set<string>()
  let open = false
  let swarm: SwarmSize | null = { complete: 1, incomplete: 0 }
  const host: SharingHost = {
    open: async () => { open = true },
    closeIfIdle: async () => { open = false; calls.push('close') },
    share: async (torrents: KeptTorrent[], _settings, uploadLeft, only) => {
      if (only) shared.clear()
      for (const torrent of torrents) shared.add(torrent.infoHash)
      calls.push(`share ${torrents.map((torrent) => torrent.infoHash[0]).join('')}${only ? ' only' : ''} left=${uploadLeft}`)
    },
    unshare: async (infoHashes) => {
      for (const infoHash of infoHashes) shared.delete(infoHash)
      calls.push(`unshare ${infoHashes.map((infoHash) => infoHash[0]).join('')}`)
    },
    warm: async (page) => { calls.push(`warm ${page}`); return 'fetching' },
    stats: async () => open ? { peers: 4 } : null
  }
  const make = () => keepSharing({ local, host, settings: async () => settings, pinOf: async (page) => pins[page] ?? null, swarmSize: async () => swarm, now: () => clock })
  return {
    keeping: make(),
    restart: make,
    calls,
    shared,
    isOpen: () => open,
    set: (patch: Partial<Settings>) => { settings = { ...settings, ...patch }; return settings },
    later: (ms: number) => { clock += ms },
    answerScrape: (size: SwarmSize | null) => { swarm = size }
  }
}

test('a copy is kept and shared; over the disk budget the page read least recently goes, pieces and all', async () => {
  const w = world({ keepDiskBytes: 3 * MiB })
  expect(await w.keeping.keep(request('a', 'https://a.example/1'))).toBe(true)
  w.later(1000)
  await w.keeping.keep(request('b', 'https://a.example/2'))
  w.later(1000)
  await w.keeping.keep(request('c', 'https://b.example/1'))
  w.later(1000)
  // Reading page 1 again on a healthy visit makes page 2 the least recently read.
  expect(await w.keeping.readHealthy('https://a.example/1', hash('a'), pointer('a'), [])).toBe('kept')
  w.later(1000)
  await w.keeping.keep(request('d', 'https://b.example/2'))
  expect([...w.shared].map((infoHash) => infoHash[0]).sort()).toEqual(['a', 'c', 'd'])
  expect(w.calls.at(-1)).toBe('unshare b')
  expect(await w.keeping.status()).toMatchObject({ on: true, pages: 3, sites: ['a.example', 'b.example'], bytes: 3 * MiB, peers: 4 })
  // A copy larger than the whole budget is not kept, and evicts nothing.
  expect(await w.keeping.keep(request('e', 'https://c.example/', 4 * MiB))).toBe(false)
  expect((await w.keeping.status()).pages).toBe(3)
})

test('a republished page drops its old torrent; a torrent the site’s pin contradicts is not kept', async () => {
  const pin: Pin = { url: 'https://a.example/pinned', infoHashes: [hash('p')], seenAt: 1 }
  const w = world({}, { [pin.url]: pin })
  await w.keeping.keep(request('a', 'https://a.example/1'))
  // The site now names another torrent for the page: the old version goes, the new one is offered.
  expect(await w.keeping.readHealthy('https://a.example/1', hash('b'), pointer('b'), [])).toBe('fetching')
  expect(w.calls.slice(-2)).toEqual(['unshare a', 'warm https://a.example/1'])
  expect(await w.keeping.keep(request('b', 'https://a.example/1'))).toBe(true)
  expect(await w.keeping.keep(request('x', pin.url))).toBe(false)
  expect(await w.keeping.keep(request('p', pin.url))).toBe(true)
  expect([...w.shared].map((infoHash) => infoHash[0]).sort()).toEqual(['b', 'p'])
})

test('only the listed sites, never an off site, nothing with the setting off or while paused', async () => {
  const w = world({ keepSites: ['news.example'], offSites: ['secret.news.example'] })
  expect(await w.keeping.keep(request('a', 'https://www.news.example/1'))).toBe(true)
  expect(await w.keeping.keep(request('b', 'https://other.example/1'))).toBe(false)
  expect(await w.keeping.keep(request('c', 'https://secret.news.example/1'))).toBe(false)
  expect(await w.keeping.readHealthy('https://other.example/2', hash('d'), pointer('d'), [])).toBeNull()
  w.set({ paused: true })
  expect(await w.keeping.keep(request('e', 'https://news.example/2'))).toBe(false)
})

test('a page is fetched to keep only while its swarm is thin, and a swarm found large enough is not asked about again for a while', async () => {
  const w = world()
  // The site's seeder and two readers (or readers fetching it now): enough; the host is not even opened.
  w.answerScrape({ complete: 2, incomplete: 1 })
  expect(await w.keeping.readHealthy('https://a.example/1', hash('a'), pointer('a'), [])).toBe('enough')
  expect(w.isOpen()).toBe(false)
  expect(await w.keeping.readHealthy('https://a.example/1', hash('a'), pointer('a'), [])).toBeNull()
  w.later(OFFER_AGAIN_MS + 1)
  // Trackers that cannot say: nothing is fetched.
  w.answerScrape(null)
  expect(await w.keeping.readHealthy('https://a.example/1', hash('a'), pointer('a'), [])).toBe('unknown')
  w.later(OFFER_AGAIN_MS + 1)
  w.answerScrape({ complete: 2, incomplete: 0 })
  expect(await w.keeping.readHealthy('https://a.example/1', hash('a'), pointer('a'), [])).toBe('fetching')
  expect(w.calls).toEqual(['warm https://a.example/1'])
  expect(w.isOpen()).toBe(true)
})

test('turning the setting off, a site off the list, and "Stop sharing all" delete what they no longer allow', async () => {
  const w = world()
  await w.keeping.keep(request('a', 'https://a.example/1'))
  await w.keeping.keep(request('b', 'https://b.example/1'))
  await w.keeping.settingsChanged(w.set({ keepSites: ['a.example'] }))
  expect([...w.shared].map((infoHash) => infoHash[0])).toEqual(['a'])
  await w.keeping.settingsChanged(w.set({ keepSharing: false }))
  expect(w.shared.size).toBe(0)
  expect(w.isOpen()).toBe(false)
  expect(await w.keeping.status()).toMatchObject({ on: false, pages: 0, peers: null })

  await w.keeping.settingsChanged(w.set({ keepSharing: true, keepSites: [] }))
  await w.keeping.keep(request('c', 'https://c.example/1'))
  expect(await w.keeping.stopAll()).toBe(true)
  expect(w.shared.size).toBe(0)
  expect(w.calls.slice(-2)).toEqual(['unshare c', 'close'])
})

test('pausing closes the host and keeps the pages; resuming shares them again', async () => {
  const w = world()
  await w.keeping.keep(request('a', 'https://a.example/1'))
  await w.keeping.settingsChanged(w.set({ paused: true }))
  expect(w.isOpen()).toBe(false)
  expect(await w.keeping.holdsHost()).toBe(false)
  await w.keeping.settingsChanged(w.set({ paused: false }))
  expect(w.isOpen()).toBe(true)
  expect(w.calls.at(-1)).toMatch(/^share a left=/)
})

test('whenever the browser starts the extension, every kept page is shared again, and nothing else', async () => {
  const w = world()
  await w.keeping.keep(request('a', 'https://a.example/1'))
  await w.keeping.keep(request('b', 'https://a.example/2'))
  const after = w.restart()
  expect(await after.start()).toBe(2)
  expect(w.calls.at(-1)).toMatch(/^share ab only left=/)
  // With nothing kept, the host is not even opened.
  const empty = world()
  expect(await empty.keeping.start()).toBe(0)
  expect(empty.isOpen()).toBe(false)
})

test('the day’s upload budget: what the host reports counts, and a new day starts from zero', async () => {
  const w = world({ keepUploadBytesPerDay: 10 * MiB })
  expect(await w.keeping.uploaded(4 * MiB)).toEqual({ left: 6 * MiB })
  expect(await w.keeping.uploaded(7 * MiB)).toEqual({ left: -MiB })
  expect((await w.keeping.status()).uploadedToday).toBe(11 * MiB)
  await w.keeping.keep(request('a', 'https://a.example/1'))
  expect(w.calls.at(-1)).toBe(`share a left=${-MiB}`)
  w.later(24 * 60 * 60_000)
  expect(await w.keeping.uploaded(0)).toEqual({ left: 10 * MiB })
  w.set({ keepUploadBytesPerDay: 0 })
  expect((await w.keeping.uploaded(MiB)).left).toBe(Number.MAX_SAFE_INTEGER)
})

test('a copy kept while its viewer is open is shared once the tab leaves it; dropped meanwhile, its pieces are the viewer’s', async () => {
  const w = world({ keepDiskBytes: 2 * MiB })
  expect(await w.keeping.keep({ ...request('a', 'https://a.example/1'), whileOpen: true }, 7)).toBe(true)
  expect(w.shared.size).toBe(0)
  expect((await w.keeping.status()).pages).toBe(1)
  // Another tab's navigation changes nothing; this tab's does.
  await w.keeping.tabLeft(8)
  expect(w.shared.size).toBe(0)
  await w.keeping.tabLeft(7)
  expect([...w.shared]).toEqual([hash('a')])

  // Evicted while a viewer still writes it: forgotten, but its folder is not deleted under the viewer.
  await w.keeping.keep({ ...request('b', 'https://a.example/2'), whileOpen: true }, 9)
  w.later(1000)
  await w.keeping.keep(request('c', 'https://a.example/3'))
  w.later(1000)
  await w.keeping.keep(request('d', 'https://a.example/4'))
  expect(w.calls.filter((call) => call.startsWith('unshare'))).toEqual(['unshare a'])
  expect((await w.keeping.status()).pages).toBe(2)
  // After a restart no tab holds a copy: all are shared, and the rest deleted.
  await w.keeping.keep({ ...request('e', 'https://a.example/5', MiB / 2), whileOpen: true }, 10)
  expect(await w.restart().start()).toBe(2)
  expect(w.calls.at(-1)).toMatch(/^share de only/)
})

test('a viewer’s copy that is not kept (larger than the budget) is deleted once its tab leaves it', async () => {
  const w = world({ keepDiskBytes: 2 * MiB })
  expect(await w.keeping.keep({ ...request('a', 'https://a.example/1', 3 * MiB), whileOpen: true }, 7)).toBe(false)
  expect(w.calls).toEqual([])
  await w.keeping.tabLeft(7)
  expect(w.calls).toEqual(['unshare a'])
})
