// Discovery in Node against the real test world: a real origin serving .torrent files and a real
// DoH endpoint; the cache over a storage area that copies values as browser storage does.
import { resolve } from 'node:path'
import createTorrent from 'create-torrent'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { findTorrent } from '../../src/background/discovery.ts'
import { dohClient } from '../../src/background/doh-client.ts'
import { pointerCache, type PointerCache } from '../../src/background/pointer-cache.ts'
import { memoryArea } from './memory-area.ts'
import { rememberPointers, TORRENT_FILE_MAX_AGE_MS } from '../../src/background/remember-pointers.ts'
import { torrentRecordNames } from '../../src/protocol/dns-names.ts'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, type DohEndpoint, type Origin } from '../world/index.ts'

const limits = { maxTotalBytes: 100 * 1024 * 1024 }
let origin: Origin
let doh: DohEndpoint
let cache: PointerCache
let siteTorrent: Uint8Array
let clock: number
let warnings: string[]


const make = async (input: string | Buffer[], name: string): Promise<Uint8Array> => await new Promise((resolve, reject) => {
  createTorrent(input, { name, announceList: [['ws://127.0.0.1:1']] }, (error, torrent) => error ? reject(error) : resolve(new Uint8Array(torrent)))
})

beforeAll(async () => {
  siteTorrent = await make(resolve('test/fixtures/site'), 'site')
  origin = await startOrigin({ root: resolve('test/fixtures/site') })
  origin.setFile('/site.torrent', siteTorrent)
  origin.setFile('/huge.torrent', new Uint8Array(1024 * 1024 + 1))
  origin.setFile('/broken.torrent', 'd4:infoe')
  doh = await startDoh()
})
afterAll(async () => { await origin.stop(); await doh.stop() })
beforeEach(() => {
  clock = 1_000_000
  warnings = []
  cache = pointerCache(memoryArea(), undefined, () => clock)
  origin.requests.length = 0
  doh.queries.length = 0
})

const remember = async (path: string, headers: Array<[string, string]>): Promise<void> => {
  await rememberPointers(`${origin.url}${path}`, headers.map(([name, value]) => ({ name, value })), {
    cache, limits: async () => limits, fetchContext: async (page) => ({ page, allowPrivateHosts: false, offSites: [] }), now: () => clock, warn: (message) => warnings.push(message)
  })
}
const find = async (url: string, responseHeaders?: Array<[string, string]>): ReturnType<typeof findTorrent> =>
  await findTorrent(url, responseHeaders?.map(([name, value]) => ({ name, value })), { cache, limits, lookupTxt: dohClient({ resolverUrl: doh.url, timeoutMs: 500 }) })

test('a healthy visit caches the .torrent once; a later visit within 6 hours does not fetch it again', async () => {
  await remember('/', [['X-Torrent', '/site.torrent']])
  await remember('/about/', [['X-Torrent', '/site.torrent']])
  expect(origin.requests.filter((path) => path === '/site.torrent')).toHaveLength(1)
  clock += TORRENT_FILE_MAX_AGE_MS + 1
  await remember('/', [['X-Torrent', '/site.torrent']])
  expect(origin.requests.filter((path) => path === '/site.torrent')).toHaveLength(2)
  expect(warnings).toEqual([])
})

test('oversized or broken .torrent files are warnings naming their URL, and are not cached', async () => {
  await remember('/a', [['X-Torrent', '/huge.torrent']])
  await remember('/b', [['X-Torrent', '/broken.torrent']])
  await remember('/c', [['X-Torrent', '/missing.torrent'], ['Link', '<https://m.example/x; rel=duplicate']])
  expect(warnings).toEqual([
    expect.stringMatching(/huge\.torrent is larger than 1 MiB/),
    expect.stringMatching(/broken\.torrent: The torrent file cannot be read/),
    expect.stringMatching(/Ignored a malformed Link/),
    expect.stringMatching(/missing\.torrent could not be fetched \(HTTP 404\)/)
  ])
  // The pointer itself is kept: at failure time the URL may still be fetched from a mirror or cache.
  expect((await find(`${origin.url}/a`)).torrent).toMatchObject({ source: 'cache', pointer: { kind: 'url', url: `${origin.url}/huge.torrent` }, seenAt: clock })
})

test('the page’s Last-Modified is remembered with its pointer: it tells how old a copy is whose torrent does not say', async () => {
  await remember('/dated', [['X-Torrent', 'magnet:?xt=urn:btih:' + '7'.repeat(40)], ['Last-Modified', 'Sun, 29 Nov 2026 10:00:00 GMT']])
  await remember('/undated', [['X-Torrent', 'magnet:?xt=urn:btih:' + '7'.repeat(40)], ['Last-Modified', 'yesterday']])
  expect((await find(`${origin.url}/dated`)).torrent).toMatchObject({ source: 'cache', modifiedAt: Date.UTC(2026, 10, 29, 10) })
  expect((await find(`${origin.url}/undated`)).torrent).not.toHaveProperty('modifiedAt')
})

test('order: cache before the failing response before DNS; DNS page record before site record', async () => {
  const url = 'http://blog.test/posts/first.html'
  const names = await torrentRecordNames(url)
  if (!names.ok) throw names.error
  doh.setTxt(names.value.site, [['magnet:?xt=urn:btih:1111111111111111111111111111111111111111']])
  expect((await find(url)).torrent).toMatchObject({ source: 'dns-site', pointer: { kind: 'magnet' } })
  doh.setTxt(names.value.page, [['magnet:?xt=urn:btih:2222222222222222222222222222222222222222']])
  expect((await find(url)).torrent).toMatchObject({ source: 'dns-page', pointer: { magnet: { infoHash: '2'.repeat(40) } } })
  const fromResponse = await find(url, [['X-Torrent', 'magnet:?xt=urn:btih:3333333333333333333333333333333333333333']])
  expect(fromResponse.torrent).toMatchObject({ source: 'response', pointer: { magnet: { infoHash: '3'.repeat(40) } } })
})

test('a cached pointer whose .torrent was never fetched does not stop the DNS fall-back; with DNS silent, it is still offered', async () => {
  const url = 'http://bare.test/post.html'
  const names = await torrentRecordNames(url)
  if (!names.ok) throw names.error
  await cache.remember({ url, torrents: [{ kind: 'url', url: 'http://bare.test/post.torrent' }], mirrors: [], digests: {}, secure: false, seenAt: clock })
  expect((await find(url)).torrent).toMatchObject({ source: 'cache', pointer: { kind: 'url', url: 'http://bare.test/post.torrent' } })
  doh.setTxt(names.value.page, [['magnet:?xt=urn:btih:5555555555555555555555555555555555555555']])
  expect((await find(url)).torrent).toMatchObject({ source: 'dns-page', pointer: { magnet: { infoHash: '5'.repeat(40) } } })
})

test('a damaged pre-warmed answer is not believed: DNS is asked again', async () => {
  const url = 'http://warm.test/page.html'
  const names = await torrentRecordNames(url)
  if (!names.ok) throw names.error
  doh.setTxt(names.value.page, [['magnet:?xt=urn:btih:4444444444444444444444444444444444444444']])
  await cache.rememberDns({ url, found: { source: 'dns-page', pointer: { kind: 'magnet' } }, at: Date.now() })
  expect((await find(url)).torrent).toMatchObject({ source: 'dns-page', pointer: { magnet: { infoHash: '4'.repeat(40) } } })
  expect(doh.queries.map((query) => query.name)).toContain(names.value.page)
})

test('a site torrent in DNS that has no file for the path is skipped with a reason', async () => {
  const url = 'http://other.test/not-in-the-site.html'
  const names = await torrentRecordNames(url)
  if (!names.ok) throw names.error
  const records = encodeTorrentRecords(siteTorrent)
  if (!records.ok) throw records.error
  doh.setTxt(names.value.site, records.value)
  const discovery = await find(url)
  expect(discovery.torrent).toBeNull()
  expect(discovery.problems).toEqual([expect.objectContaining({ code: 'no-file-for-path' })])
  expect((await find('http://other.test/about/')).torrent).toMatchObject({ source: 'dns-site', pointer: { kind: 'file' } })
})

test('conflicting records and a broken resolver are reported, and the next step is still tried', async () => {
  const url = 'http://conflict.test/'
  const names = await torrentRecordNames(url)
  if (!names.ok) throw names.error
  doh.setTxt(names.value.page, [['magnet:?xt=urn:btih:1111111111111111111111111111111111111111'], ['magnet:?xt=urn:btih:2222222222222222222222222222222222222222']])
  doh.setTxt(names.value.site, [['magnet:?xt=urn:btih:4444444444444444444444444444444444444444']])
  const discovery = await find(url)
  expect(discovery.problems).toEqual([expect.objectContaining({ code: 'txt-conflict' })])
  expect(discovery.torrent).toMatchObject({ source: 'dns-site' })

  doh.setFailure('servfail')
  const broken = await find(url)
  doh.setFailure(null)
  expect(broken.torrent).toBeNull()
  expect(broken.problems.map((problem) => problem.code)).toEqual(['dns-failed', 'dns-failed'])
})

test('mirrors and digests from the cache and the failing response come along', async () => {
  await remember('/m', [['X-Mirrored-By', 'https://mirror.example/m'], ['Digest', 'SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=']])
  const discovery = await find(`${origin.url}/m`, [['Link', '<https://mirror2.example/m>; rel=duplicate']])
  expect(discovery.mirrors).toEqual(['https://mirror.example/m', 'https://mirror2.example/m'])
  expect(discovery.digests).toEqual({ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
})

test('a failing response’s Digest and Repr-Digest describe its error page and are not used; its X-MD5 is, unless a healthy visit said otherwise', async () => {
  const errorPage = ['Repr-Digest', 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:'] as [string, string]
  const fresh = await find(`${origin.url}/fresh`, [['X-Mirrored-By', 'https://mirror.example/fresh'], errorPage, ['Digest', 'SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='], ['X-MD5', 'd41d8cd98f00b204e9800998ecf8427e']])
  expect(fresh.mirrors).toEqual(['https://mirror.example/fresh'])
  expect(fresh.digests).toEqual({ md5: 'd41d8cd98f00b204e9800998ecf8427e' })
  // Remembered from the page itself on a healthy visit: it wins over the failing response's.
  await remember('/known', [['X-Mirrored-By', 'https://mirror.example/known'], ['X-MD5', '0123456789abcdef0123456789abcdef']])
  const known = await find(`${origin.url}/known`, [errorPage, ['X-MD5', 'd41d8cd98f00b204e9800998ecf8427e']])
  expect(known.digests).toEqual({ md5: '0123456789abcdef0123456789abcdef' })
})

test('pinning: a DNS answer that names another torrent than the page’s HTTPS header did is flagged, even after its pointer was evicted', async () => {
  // One pointer entry at most, so the next page's pointer evicts the first; pins are kept apart.
  cache = pointerCache(memoryArea(), { maxEntries: 1, maxBytes: 1024 * 1024 }, () => clock)
  const pinned = 'https://pin.test/post'
  const rememberAt = async (url: string, infoHash: string): Promise<void> => {
    await rememberPointers(url, [{ name: 'X-Torrent', value: `magnet:?xt=urn:btih:${infoHash}` }], { cache, limits: async () => limits, fetchContext: async (page) => ({ page, allowPrivateHosts: false, offSites: [] }), now: () => clock, warn: (message) => warnings.push(message) })
  }
  await rememberAt(pinned, 'a'.repeat(40))
  await rememberAt('https://pin.test/other', 'b'.repeat(40))
  expect((await cache.lookup(pinned)).page).toBeNull()
  const names = await torrentRecordNames(pinned)
  if (!names.ok) throw names.error

  doh.setTxt(names.value.page, [[`magnet:?xt=urn:btih:${'c'.repeat(40)}`]])
  expect((await find(pinned)).torrent).toMatchObject({ source: 'dns-page', pinConflict: { infoHashes: ['a'.repeat(40)], seenAt: clock } })
  // The same torrent as the header named: no warning.
  doh.setTxt(names.value.page, [[`magnet:?xt=urn:btih:${'a'.repeat(40)}`]])
  expect((await find(pinned)).torrent).not.toHaveProperty('pinConflict')
  // A plain-HTTP header pins nothing: anyone on the path could have written it.
  const plain = 'http://pin.test/post'
  await rememberAt(plain, 'a'.repeat(40))
  await rememberAt('http://pin.test/other', 'b'.repeat(40))
  const plainNames = await torrentRecordNames(plain)
  if (!plainNames.ok) throw plainNames.error
  doh.setTxt(plainNames.value.page, [[`magnet:?xt=urn:btih:${'c'.repeat(40)}`]])
  expect((await find(plain)).torrent).not.toHaveProperty('pinConflict')
  expect(warnings).toEqual([])
})
