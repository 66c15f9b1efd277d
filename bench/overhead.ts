// Benchmark 2: what the extension costs a healthy page. The same pages, loaded alternately in
// Chromium with the extension and without, the site sending pointer headers (so the extension
// parses and stores them on every load). Load time from Navigation Timing: navigation start to the
// end of the load event, as the browser measured it.
import { resolve } from 'node:path'
import createTorrent from 'create-torrent'
import type { Page } from 'playwright-core'
import { launchChromium, launchPlainChromium, startDoh, startOrigin } from '../test/world/index.ts'
import { launchReader } from './world.ts'

export interface OverheadRuns { withExtension: number[], without: number[], listenersOnly: number[], permissionOnly: number[] }

export async function overheadBenchmark (loads: number, log: (line: string) => void = () => {}): Promise<OverheadRuns> {
  const site = resolve('test/fixtures/site')
  const origin = await startOrigin({ root: site, headers: { 'X-Torrent': '/site.torrent', 'Repr-Digest': 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:' } })
  // A real site torrent: the extension fetches it once and keeps it, as on a published site.
  origin.setFile('/site.torrent', await new Promise<Uint8Array>((resolve, reject) => {
    createTorrent(site, { name: 'site', announceList: [['ws://127.0.0.1:1']] }, (error: Error | null, torrent: Uint8Array) => error !== null ? reject(error) : resolve(torrent))
  }))
  const doh = await startDoh()
  const reader = await launchReader(doh)
  const plain = await launchPlainChromium()
  // The same browser events with empty listeners: what Chrome charges before Peerback runs any code.
  const listeners = await launchChromium({ extensionDir: resolve(import.meta.dirname, 'listeners-only') })
  // The permissions alone, no listener: Chrome proxies every request once an extension holds webRequest.
  const permission = await launchChromium({ extensionDir: resolve(import.meta.dirname, 'permission-only'), listens: false })
  const result: OverheadRuns = { withExtension: [], without: [], listenersOnly: [], permissionOnly: [] }
  try {
    const arms = [
      { page: await reader.context.newPage(), times: result.withExtension },
      { page: await plain.context.newPage(), times: result.without },
      { page: await listeners.context.newPage(), times: result.listenersOnly },
      { page: await permission.context.newPage(), times: result.permissionOnly }
    ]
    for (let load = 1; load <= loads; load++) {
      const url = `http://site.test:${origin.port}/${load % 2 === 0 ? 'about/' : ''}?load=${load}`
      // Rotate who goes first, so a slow moment of the machine hits all alike.
      const first = load % arms.length
      for (const { page, times } of [...arms.slice(first), ...arms.slice(0, first)]) times.push(await loadTime(page, url))
    }
    log(`${loads} loads each`)
  } finally {
    await reader.close()
    await plain.close()
    await listeners.close()
    await permission.close()
    await Promise.all([origin.stop(), doh.stop()])
  }
  return result
}

async function loadTime (page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' })
  await page.waitForFunction(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd > 0)
  return await page.evaluate(() => {
    const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return entry.loadEventEnd - entry.startTime
  })
}
