// The test origin behaves like the sites it stands for, in each mode.
import { connect } from 'node:net'
import { resolve } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { startOrigin, type Origin } from '../world/origin.ts'

let origin: Origin
beforeEach(async () => { origin = await startOrigin({ root: resolve('test/fixtures/site') }) })
afterEach(async () => { await origin.stop() })

test('up: serves the fixture site with its types and the extra headers', async () => {
  origin.setHeaders({ 'X-Torrent': '/site.torrent' })
  const page = await fetch(`${origin.url}/about/`)
  expect(page.status).toBe(200)
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
  expect(page.headers.get('x-torrent')).toBe('/site.torrent')
  expect(await page.text()).toContain('A small blog on shared hosting.')
  expect((await fetch(`${origin.url}/style.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8')
  expect((await fetch(`${origin.url}/missing`)).status).toBe(404)
  expect((await fetch(`${origin.url}/..%2f..%2fetc/passwd`)).status).toBe(403)
})

test('down: connections are refused, and the same port comes back up', async () => {
  await origin.setMode('down')
  await expect(fetch(origin.url)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } })
  await origin.setMode('up')
  expect((await fetch(origin.url)).status).toBe(200)
})

test('slow: accepts the connection and never answers', async () => {
  await origin.setMode('slow')
  await expect(fetch(origin.url, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/aborted|timeout/i)
  // The TCP connection itself is accepted: this is a stall, not a refusal.
  await new Promise<void>((resolve, reject) => {
    const socket = connect(origin.port, '127.0.0.1', () => { socket.destroy(); resolve() })
    socket.on('error', reject)
  })
  expect(origin.requests.length).toBeGreaterThan(0)
})

test('overloaded: 503 with Retry-After, the extra headers and a body Chromium will show', async () => {
  origin.setHeaders({ 'X-Torrent': 'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056' })
  await origin.setMode('overloaded')
  const answer = await fetch(origin.url)
  expect(answer.status).toBe(503)
  expect(answer.headers.get('retry-after')).toBe('120')
  expect(answer.headers.get('x-torrent')).toMatch(/^magnet:/)
  expect((await answer.arrayBuffer()).byteLength).toBeGreaterThanOrEqual(512)
})
