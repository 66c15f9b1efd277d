// Fetching on a site's word (src/lib/site-fetch.ts) against real HTTP servers on loopback: the
// policy is asked before any request, redirects are not followed, and no answer is read without
// bounds — too long, or stalled halfway, it fails.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { guardPageFetch, readBody, RefusedFetch, Stalled, TooMuchData, siteFetch } from '../../src/lib/site-fetch.ts'
import { serve, type TestServer } from './http-server.ts'

let server: TestServer
let base: string
let requests: string[]
beforeAll(async () => {
  server = await serve((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/secret' })
      res.end()
    } else if (req.url === '/huge') {
      // Ignores the range it was asked for, as a hostile web seed would.
      res.writeHead(200)
      res.end(Buffer.alloc(10 * 1024 * 1024))
    } else if (req.url === '/stalls') {
      res.writeHead(200, { 'content-length': 2000 })
      res.write(Buffer.alloc(1000)) // and never the rest
    } else {
      res.writeHead(200)
      res.end('ok')
    }
  })
  ;({ base, requests } = server)
})
afterAll(async () => { await server.close() })
beforeEach(() => { requests.length = 0 })

// The page is on loopback too, so loopback may be fetched on its word.
const local = (): { page: string, allowPrivateHosts: boolean, offSites: string[] } => ({ page: `${base}/page`, allowPrivateHosts: false, offSites: [] })

test('a URL the policy refuses is never requested', async () => {
  await expect(siteFetch(`${base}/x`, { page: 'https://blog.example/', allowPrivateHosts: false, offSites: [] }, { maxBytes: 100 })).rejects.toThrow(RefusedFetch)
  await expect(siteFetch(`${base}/x`, { ...local(), offSites: ['127.0.0.1'] }, { maxBytes: 100 })).rejects.toThrow(/off for 127\.0\.0\.1/)
  expect(requests).toEqual([])
})

test('a redirect is not followed', async () => {
  await expect(siteFetch(`${base}/redirect`, local(), { maxBytes: 100 })).rejects.toThrow(/does not follow redirects/)
  expect(requests).toEqual(['/redirect'])
})

test('a body larger than allowed fails the read', async () => {
  const response = await siteFetch(`${base}/huge`, local(), { headers: { range: 'bytes=0-16383' }, maxBytes: 16_384 })
  await expect(response.arrayBuffer()).rejects.toThrow(TooMuchData)
})

test('a body that stops arriving halfway fails the read', async () => {
  const response = await siteFetch(`${base}/stalls`, local(), { maxBytes: 10_000, stallMs: 300 })
  await expect(response.arrayBuffer()).rejects.toThrow(Stalled)
})

test('a good answer reads as ever', async () => {
  expect(await (await siteFetch(`${base}/ok`, local(), { maxBytes: 100 })).text()).toBe('ok')
})

test('a page’s guarded fetch (what WebTorrent uses) reads a web seed within its range, anything else within 1 MiB, and only what the policy allows', async () => {
  const original = globalThis.fetch
  const location = Object.getOwnPropertyDescriptor(globalThis, 'location')
  Object.defineProperty(globalThis, 'location', { value: new URL('chrome-extension://peerback/src/viewer/viewer.html'), configurable: true })
  let context: ReturnType<typeof local> & { maxBytes: number } | null = null
  try {
    guardPageFetch(() => context)
    // No copy open yet: nothing is fetched.
    await expect(fetch(`${base}/ok`)).rejects.toThrow(RefusedFetch)
    context = { ...local(), maxBytes: 100 * 1024 * 1024 }
    await expect(readBody(await fetch(`${base}/huge`, { headers: { range: 'bytes=0-16383' } }))).rejects.toThrow(/more than the 16384 bytes/)
    await expect(readBody(await fetch(`${base}/huge`))).rejects.toThrow(/more than the 1048576 bytes/) // an xs= torrent of 10 MB
    expect(await (await fetch(`${base}/ok`)).text()).toBe('ok')
    context = { page: 'https://blog.example/', allowPrivateHosts: false, offSites: [], maxBytes: 1 << 20 }
    requests.length = 0
    await expect(fetch(`${base}/ok`)).rejects.toThrow(RefusedFetch)
    expect(requests).toEqual([])
  } finally {
    globalThis.fetch = original
    if (location === undefined) Reflect.deleteProperty(globalThis, 'location')
    else Object.defineProperty(globalThis, 'location', location)
  }
})
