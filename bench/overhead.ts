// Benchmark 2: what the extension costs a healthy page. The same pages, loaded alternately in
// Chromium with the extension and without, the site sending pointer headers (so the extension
// parses and stores them on every load). Load time from Navigation Timing: navigation start to the
// end of the load event, as the browser measured it.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { launchPlainChromium, startDoh, startOrigin } from '../test/world/index.ts'
import { launchReader } from './world.ts'

export interface OverheadRuns { withExtension: number[], without: number[] }

export async function overheadBenchmark (loads: number, log: (line: string) => void = () => {}): Promise<OverheadRuns> {
  const site = resolve('test/fixtures/site')
  const origin = await startOrigin({ root: site, headers: { 'X-Torrent': '/site.torrent', 'Repr-Digest': 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:' } })
  origin.setFile('/site.torrent', new Uint8Array(0)) // fetched once per URL by the extension; refused, as a broken one would be
  const doh = await startDoh()
  const reader = await launchReader(doh)
  const plain = await launchPlainChromium()
  const result: OverheadRuns = { withExtension: [], without: [] }
  try {
    const pages = { with: await reader.context.newPage(), without: await plain.context.newPage() }
    for (let load = 1; load <= loads; load++) {
      const url = `http://site.test:${origin.port}/${load % 2 === 0 ? 'about/' : ''}?load=${load}`
      // Alternate who goes first, so a slow moment of the machine hits both alike.
      const order: Array<'with' | 'without'> = load % 2 === 0 ? ['with', 'without'] : ['without', 'with']
      for (const which of order) {
        const time = await loadTime(pages[which], url)
        ;(which === 'with' ? result.withExtension : result.without).push(time)
      }
    }
    log(`${loads} loads each`)
  } finally {
    await reader.close()
    await plain.close()
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
