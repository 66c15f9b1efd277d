// Fetching on a site's word (src/lib/site-fetch.ts) against real HTTP servers on loopback: the
// policy is asked before any request, redirects are not followed, and no answer is read without
// bounds — too long, or stalled halfway, it fails.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { RefusedFetch, Stalled, TooMuchData, siteFetch } from '../../src/lib/site-fetch.ts'

let server: Server
let base: string
const requests: string[] = []
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)) })
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
