// A mirrored page's files, fetched from a real mirror on loopback (src/copy/mirror-copy.ts):
// they come from the mirror's origin under its prefix only, within the copy's byte budget and
// the request cap, however many the copy asks for.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { MAX_MIRROR_ASSETS, mirrorAssets } from '../../src/copy/mirror-copy.ts'
import { serve, type TestServer } from './http-server.ts'

let mirror: TestServer
let base: string
let requests: string[]
beforeAll(async () => {
  mirror = await serve((_req, res) => {
    res.writeHead(200)
    res.end(Buffer.alloc(1000))
  })
  ;({ base, requests } = mirror)
})
afterAll(async () => { await mirror.close() })
beforeEach(() => { requests.length = 0 })

const context = (page: string): { page: string, allowPrivateHosts: boolean, offSites: string[] } => ({ page, allowPrivateHosts: false, offSites: [] })

test('files come from under the mirror’s prefix until the copy’s byte budget is spent', async () => {
  const assets = mirrorAssets(`${base}/blog/post.html`, 'http://127.0.0.1/post.html', context(base), 2500)
  expect((await assets('/a.css'))?.byteLength).toBe(1000)
  expect((await assets('/b.png'))?.byteLength).toBe(1000)
  // 500 bytes left: the next 1 000-byte file is too much, and nothing more is asked for.
  expect(await assets('/c.png')).toBeNull()
  expect(await assets('/d.png')).toBeNull()
  expect(requests).toEqual(['/blog/a.css', '/blog/b.png', '/blog/c.png'])
})

test('a copy that names thousands of files gets at most the request cap', async () => {
  const assets = mirrorAssets(`${base}/`, 'http://127.0.0.1/', context(base), 100 * 1024 * 1024)
  await Promise.all(Array.from({ length: 800 }, async (_, index) => await assets(`/f${index}.png`)))
  expect(requests).toHaveLength(MAX_MIRROR_ASSETS)
})
