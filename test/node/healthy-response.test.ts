// A healthy visit in Node, against a real origin and DoH endpoint, with the storage injected:
// what a private window or an off-site teaches Peerback never reaches storage, and nothing is
// fetched or looked up for them (issue 16, items 11 and 12).
import { resolve } from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { dohClient } from '../../src/background/doh-client.ts'
import { onHealthyResponse } from '../../src/background/healthy-response.ts'
import { pointerCache } from '../../src/background/pointer-cache.ts'
import { DEFAULT_SETTINGS, type Settings } from '../../src/lib/settings.ts'
import { startDoh, startOrigin, type DohEndpoint, type Origin } from '../world/index.ts'
import { memoryArea } from './memory-area.ts'

let origin: Origin
let doh: DohEndpoint
beforeAll(async () => {
  origin = await startOrigin({ root: resolve('test/fixtures/site') })
  origin.setFile('/site.torrent', 'd4:infod6:lengthi1e4:name1:a12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee')
  doh = await startDoh()
})
afterAll(async () => { await origin.stop(); await doh.stop() })
beforeEach(() => { origin.requests.length = 0; doh.queries.length = 0 })

const visit = async (url: string, settings: Partial<Settings>, privateTab: boolean): Promise<{ outcome: string, stored: string[] }> => {
  const area = memoryArea()
  const merged = { ...DEFAULT_SETTINGS, dohResolver: doh.url, ...settings }
  const outcome = await onHealthyResponse(url, [{ name: 'X-Torrent', value: '/site.torrent' }, { name: 'X-Mirrored-By', value: 'https://mirror.example/' }], {
    cache: pointerCache(area),
    lookupTxt: dohClient({ resolverUrl: doh.url, timeoutMs: 500 }),
    limits: { maxTotalBytes: merged.maxCopyBytes },
    settings: merged,
    isPrivateTab: async () => privateTab,
    warn: () => {}
  })
  return { outcome, stored: [...area.data.keys()] }
}

test('a normal window remembers the pointers and fetches the .torrent they name', async () => {
  const { outcome, stored } = await visit(`${origin.url}/`, {}, false)
  expect(outcome).toBe('remembered')
  expect(stored.length).toBeGreaterThan(0)
  expect(origin.requests).toEqual(['/site.torrent'])
})

test('a private window stores nothing and fetches nothing, with or without pre-warming', async () => {
  for (const prewarmPointers of [false, true]) {
    expect(await visit(`${origin.url}/`, { prewarmPointers }, true)).toEqual({ outcome: 'private', stored: [] })
  }
  expect(origin.requests).toEqual([])
  expect(doh.queries).toEqual([])
})

test('an off-site stores nothing, fetches nothing and looks nothing up, with or without pre-warming', async () => {
  for (const prewarmPointers of [false, true]) {
    expect(await visit(`${origin.url}/`, { offSites: ['127.0.0.1'], prewarmPointers }, false)).toEqual({ outcome: 'off-site', stored: [] })
    expect(await visit(`${origin.url}/`, { paused: true, prewarmPointers }, false)).toEqual({ outcome: 'off-site', stored: [] })
  }
  expect(origin.requests).toEqual([])
  expect(doh.queries).toEqual([])
})
