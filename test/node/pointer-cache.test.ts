// The pointer cache over a storage area: per page and per site, least recently used evicted first,
// and what one cache stored is read back by a new one (as after a worker or browser restart).
import { expect, test } from 'vitest'
import type { CachedPointers } from '../../src/lib/discovery.ts'
import { DEFAULT_CACHE_LIMITS, pointerCache, siteOfKey, TOUCH_MS } from '../../src/background/pointer-cache.ts'
import { memoryArea } from './memory-area.ts'


const entry = (url: string): CachedPointers => ({ url, torrents: [{ kind: 'url', url: `${new URL(url).origin}/site.torrent` }], mirrors: [], digests: {}, secure: true, seenAt: 1 })

test('a page finds its own entry; another page of the site finds the site’s latest', async () => {
  const cache = pointerCache(memoryArea())
  await cache.remember(entry('https://a.example/1'))
  await cache.remember(entry('https://a.example/2'))
  expect(await cache.lookup('https://a.example/1')).toEqual({ page: entry('https://a.example/1'), site: entry('https://a.example/2') })
  expect(await cache.lookup('https://a.example/3')).toEqual({ page: null, site: entry('https://a.example/2') })
  expect(await cache.lookup('https://b.example/1')).toEqual({ page: null, site: null })
})

test('what one cache stored, a new cache over the same storage reads', async () => {
  const storage = memoryArea()
  await pointerCache(storage).remember(entry('https://a.example/1'))
  await pointerCache(storage).rememberTorrentFile({ url: 'https://a.example/site.torrent', base64: 'ZGU=', infoHash: 'f'.repeat(40), fetchedAt: 5 })
  const fresh = pointerCache(storage)
  expect((await fresh.lookup('https://a.example/1')).page).toEqual(entry('https://a.example/1'))
  expect(await fresh.torrentFile('https://a.example/site.torrent')).toMatchObject({ base64: 'ZGU=' })
})

test('forgetting every remembered site leaves nothing behind, and says how much there was', async () => {
  const storage = memoryArea()
  const cache = pointerCache(storage)
  await cache.remember(entry('https://a.example/1'))
  await cache.remember(entry('https://a.example/2'))
  await cache.remember(entry('https://b.example/'))
  await cache.rememberTorrentFile({ url: 'https://a.example/site.torrent', base64: 'ZGU=', infoHash: 'f'.repeat(40), fetchedAt: 5 })
  await cache.rememberPin({ url: 'https://a.example/1', infoHashes: ['f'.repeat(40)], seenAt: 1 })
  expect(await cache.forgetAll()).toEqual({ pages: 3, sites: 2, pins: 1 })
  expect(storage.data.size).toBe(0)
  expect(await cache.lookup('https://a.example/1')).toEqual({ page: null, site: null })
  await cache.remember(entry('https://a.example/1')) // and it works on
  expect((await cache.lookup('https://a.example/1')).page).not.toBeNull()
})

test('least recently used entries are evicted past the entry cap; a lookup counts as use', async () => {
  let clock = 0
  const storage = memoryArea()
  const cache = pointerCache(storage, { maxEntries: 6, maxBytes: 1 << 20 }, () => (clock += TOUCH_MS))
  for (const n of [1, 2, 3]) await cache.remember(entry(`https://s${n}.example/`)) // 2 keys each: page and site
  await cache.lookup('https://s1.example/')
  await cache.remember(entry('https://s4.example/'))
  expect((await cache.lookup('https://s1.example/')).page).not.toBeNull()
  expect((await cache.lookup('https://s2.example/')).page).toBeNull()
  expect((await cache.lookup('https://s4.example/')).page).not.toBeNull()
  expect([...storage.data.keys()].filter((key) => key.startsWith('pointer:'))).toHaveLength(3)
})

test('a page with pointers costs one write: the index is read once, and an entry used within a minute is not marked again', async () => {
  let clock = 1_000_000
  const storage = memoryArea()
  const calls: string[] = []
  const counted: typeof storage = { ...storage, get: async (keys) => { calls.push(`get ${keys?.join()}`); return await storage.get(keys) }, set: async (items) => { calls.push(`set ${Object.keys(items).join()}`); await storage.set(items) } }
  const cache = pointerCache(counted, DEFAULT_CACHE_LIMITS, () => clock)
  await cache.rememberTorrentFile({ url: 'https://a.example/site.torrent', base64: 'AAAA', infoHash: 'f'.repeat(40), fetchedAt: clock })
  calls.length = 0
  for (const n of [1, 2, 3]) {
    clock += 1000
    await cache.remember(entry(`https://a.example/${n}`))
    await cache.torrentFile('https://a.example/site.torrent')
  }
  expect(calls.filter((call) => call.includes('pointer-index'))).toEqual([
    'set pointer:https://a.example/1,pointer-site:https://a.example,pointer-index',
    'set pointer:https://a.example/2,pointer-site:https://a.example,pointer-index',
    'set pointer:https://a.example/3,pointer-site:https://a.example,pointer-index'
  ])
  // A minute later, a read marks the entry used again (eviction goes by it).
  clock += TOUCH_MS
  await cache.torrentFile('https://a.example/site.torrent')
  expect(calls.at(-1)).toBe('set pointer-index')
  // What this cache wrote, a new one over the same storage reads.
  expect(await pointerCache(storage).torrentFile('https://a.example/site.torrent')).not.toBeNull()
})

test('a failing page\'s lookup reads its entry, its site\'s, its pre-warmed answer and its pin in one storage read', async () => {
  const storage = memoryArea()
  const cache = pointerCache(storage)
  const url = 'https://a.example/1'
  await cache.remember(entry(url))
  await cache.rememberDns({ url, found: null, at: 5 })
  await cache.rememberPin({ url, infoHashes: ['a'.repeat(40)], seenAt: 5 })
  const reads: string[][] = []
  const counted = { ...storage, get: async (keys: string[] | null) => { reads.push(keys ?? []); return await storage.get(keys) } }
  expect(await pointerCache(counted).recall(url)).toMatchObject({ page: entry(url), site: null, prewarmed: { url, found: null }, pin: { infoHashes: ['a'.repeat(40)] } })
  expect(reads.filter((keys) => !keys.some((key) => key.endsWith('-index')))).toHaveLength(1)
})

test('a failing page nothing was remembered for costs one storage read, the index not among it', async () => {
  const storage = memoryArea()
  await pointerCache(storage).remember(entry('https://a.example/1'))
  const reads: string[][] = []
  const counted = { ...storage, get: async (keys: string[] | null) => { reads.push(keys ?? []); return await storage.get(keys) } }
  expect(await pointerCache(counted).recall('https://b.example/1')).toEqual({ page: null, site: null, prewarmed: null, pin: null })
  expect(reads).toHaveLength(1)
})

test('the byte cap holds, large torrent files go first when old', async () => {
  let clock = 0
  const storage = memoryArea()
  const cache = pointerCache(storage, { maxEntries: 100, maxBytes: 4000 }, () => ++clock)
  await cache.rememberTorrentFile({ url: 'https://a.example/big.torrent', base64: 'A'.repeat(3000), infoHash: 'f'.repeat(40), fetchedAt: 1 })
  await cache.remember(entry('https://a.example/1'))
  await cache.rememberTorrentFile({ url: 'https://a.example/other.torrent', base64: 'B'.repeat(1500), infoHash: 'e'.repeat(40), fetchedAt: 2 })
  expect(await cache.torrentFile('https://a.example/big.torrent')).toBeNull()
  expect(await cache.torrentFile('https://a.example/other.torrent')).not.toBeNull()
  const stored = [...storage.data.entries()].filter(([key]) => key !== 'pointer-index').reduce((sum, [, value]) => sum + value.length, 0)
  expect(stored).toBeLessThanOrEqual(4000)
})

test('concurrent writes are not lost', async () => {
  const cache = pointerCache(memoryArea())
  await Promise.all(Array.from({ length: 20 }, async (_, n) => { await cache.remember(entry(`https://a.example/${n}`)) }))
  for (let n = 0; n < 20; n++) expect((await cache.lookup(`https://a.example/${n}`)).page).not.toBeNull()
})

test('10 000 pointers: the cache never holds more than its caps, and the newest are there', async () => {
  let clock = 0
  const storage = memoryArea()
  const limits = { maxEntries: 200, maxBytes: 32 * 1024 }
  const cache = pointerCache(storage, limits, () => ++clock)
  for (let n = 0; n < 10_000; n++) {
    await cache.remember(entry(`https://s${n % 700}.example/${n}`))
    if (n % 1000 === 999) {
      const entries = [...storage.data.entries()].filter(([key]) => key !== 'pointer-index')
      expect(entries.length).toBeLessThanOrEqual(limits.maxEntries)
      expect(entries.reduce((sum, [, value]) => sum + value.length, 0)).toBeLessThanOrEqual(limits.maxBytes)
    }
  }
  const newest = `https://s${9999 % 700}.example/9999`
  expect((await cache.lookup(newest)).page).toEqual(entry(newest))
  expect((await cache.lookup('https://s0.example/0')).page).toBeNull()
}, 60_000)

test('damaged entries (a broken profile, an older version) are dropped, not fatal, and the cache keeps working', async () => {
  const storage = memoryArea()
  const cache = pointerCache(storage)
  await cache.remember(entry('https://a.example/1'))
  await cache.rememberTorrentFile({ url: 'https://a.example/site.torrent', base64: 'ZGU=', infoHash: 'f'.repeat(40), fetchedAt: 5 })
  await cache.rememberDns({ url: 'https://a.example/1', found: null, at: 5 })
  const damage: Record<string, unknown> = {
    'pointer-index': 'garbage',
    'pointer:https://a.example/1': { url: 'https://a.example/1', torrents: 'not a list' },
    'pointer-site:https://a.example': 42,
    'torrent-file:https://a.example/site.torrent': { base64: 5 },
    'prewarmed-dns:https://a.example/1': [1, 2]
  }
  for (const [key, value] of Object.entries(damage)) storage.data.set(key, JSON.stringify(value))

  const fresh = pointerCache(storage)
  expect(await fresh.lookup('https://a.example/1')).toEqual({ page: null, site: null })
  expect(await fresh.torrentFile('https://a.example/site.torrent')).toBeNull()
  expect(await fresh.prewarmedDns('https://a.example/1')).toBeNull()
  for (const key of Object.keys(damage).filter((key) => key !== 'pointer-index')) expect(storage.data.has(key), key).toBe(false)

  await fresh.remember(entry('https://a.example/2'))
  expect(await fresh.lookup('https://a.example/3')).toEqual({ page: null, site: entry('https://a.example/2') })

  // An entry damaged behind a sound index leaves the index too: it no longer counts against the caps.
  storage.data.set('pointer:https://a.example/2', JSON.stringify({ torrents: 7 }))
  expect(await fresh.lookup('https://a.example/2')).toMatchObject({ page: null })
  expect(Object.keys(JSON.parse(storage.data.get('pointer-index') as string) as object)).not.toContain('pointer:https://a.example/2')
  await fresh.remember(entry('https://a.example/2'))
  expect(JSON.parse(storage.data.get('pointer-index') as string)).toMatchObject({ 'pointer:https://a.example/2': { size: expect.any(Number) } })
})

test('one site cannot evict another’s pins or pointers: not with thousands of URLs, subdomains, or one very long URL', async () => {
  const storage = memoryArea()
  const cache = pointerCache(storage)
  await cache.remember(entry('https://blog.example/post'))
  await cache.rememberPin({ url: 'https://blog.example/post', infoHashes: ['a'.repeat(40)], seenAt: 1 })
  // Enough to fill either cache by entries or by bytes (each URL 1.5 kB, under the length cap).
  for (let n = 0; n < 1500; n++) {
    const url = `https://x${n % 50}.flood.example/${n}/${'p'.repeat(1500)}`
    await cache.remember(entry(url))
    await cache.rememberPin({ url, infoHashes: ['b'.repeat(40)], seenAt: 1 })
  }
  const long = `https://flood.example/${'a'.repeat(1024 * 1024)}`
  await cache.remember(entry(long))
  await cache.rememberPin({ url: long, infoHashes: ['c'.repeat(40)], seenAt: 1 })
  expect((await cache.lookup('https://blog.example/post')).page).toEqual(entry('https://blog.example/post'))
  expect((await cache.recall('https://blog.example/post')).pin).toMatchObject({ infoHashes: ['a'.repeat(40)] })
  expect((await cache.recall(long)).pin).toBeNull()
  // The flood keeps its own most recent share, no more.
  const pointers = [...storage.data.keys()].filter((key) => key.startsWith('pointer:https://x'))
  expect(pointers.length).toBeGreaterThan(0)
  expect(pointers.length).toBeLessThanOrEqual(200)
  expect([...storage.data.keys()].filter((key) => key.startsWith('pin:https://x')).length).toBeLessThanOrEqual(1000)
}, 60_000)

test('entries are counted by site: subdomains together, IP addresses whole', () => {
  expect(siteOfKey('pointer:https://a.b.blog.example/x')).toBe('blog.example')
  expect(siteOfKey('pin:https://www.news.co.uk/x')).toBe('news.co.uk')
  expect(siteOfKey('pointer-site:http://127.0.0.1:8080')).toBe('127.0.0.1')
  expect(siteOfKey('torrent-file:https://[::1]/t')).toBe('[::1]')
})
