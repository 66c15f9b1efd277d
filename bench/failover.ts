// Benchmarks 1 and 6: navigation start on a dead origin → the copy on screen, broken down into the
// extension's steps, beside a healthy load of the same page; and the same failover with the
// service worker stopped first (cold start). Each run uses a fresh browser profile.
import { startDoh, startOrigin, startTracker } from '../test/world/index.ts'
import type { Page } from 'playwright-core'
import { failOverTo, launchReader, momentsIn, pageOfSize, publishCopy } from './world.ts'
import type { ChromiumWithExtension } from '../test/world/index.ts'
import type { Moment } from '../src/lib/moments.ts'

export interface FailoverRuns {
  healthy: number[]
  failover: number[]
  cold: number[]
  /** Per step, the samples of the warm failover. */
  steps: Record<string, number[]>
  coldSteps: Record<string, number[]>
}

const STEPS: Array<[string, Moment | 'start', Moment]> = [
  ['detection', 'start', 'failure-seen'],
  ['lookup', 'failure-seen', 'copy-found'],
  ['tab switch', 'copy-found', 'viewer-start'],
  ['metadata', 'viewer-start', 'metadata'],
  ['first byte', 'metadata', 'first-byte'],
  ['document', 'first-byte', 'document'],
  ['render', 'document', 'rendered']
]

export async function failoverBenchmark (runs: number, pageBytes = 100 * 1024, log: (line: string) => void = () => {}): Promise<FailoverRuns> {
  const tracker = await startTracker()
  const doh = await startDoh()
  const site = await pageOfSize(pageBytes, 'Warm failover')
  const coldSite = await pageOfSize(pageBytes, 'Cold failover')
  const origin = await startOrigin({ root: site })
  const seeder = await publishCopy(site, tracker, doh, 'bench.test', '/')
  const coldSeeder = await publishCopy(coldSite, tracker, doh, 'cold.test', '/')
  const result: FailoverRuns = { healthy: [], failover: [], cold: [], steps: {}, coldSteps: {} }
  try {
    for (let run = 1; run <= runs; run++) {
      await origin.setMode('up')
      const chromium = await launchReader(doh)
      try {
        const page = await chromium.context.newPage()
        const url = `http://bench.test:${origin.port}/`
        await page.goto(url, { waitUntil: 'load' })
        result.healthy.push(await loadTime(page))

        await origin.setMode('down')
        await failOverTo(page, url)
        const moments = await failoverMoments(chromium, page)
        const failover = (moments.rendered as number) - (moments.start as number)
        result.failover.push(failover)
        addSteps(result.steps, moments)

        // Cold: the service worker stopped, as Chrome does after 30 s idle.
        const cdp = await chromium.context.newCDPSession(page)
        await cdp.send('ServiceWorker.enable')
        await cdp.send('ServiceWorker.stopAllWorkers')
        const coldPage = await chromium.context.newPage()
        await failOverTo(coldPage, `http://cold.test:${origin.port}/`)
        const coldMoments = await failoverMoments(chromium, coldPage)
        result.cold.push((coldMoments.rendered as number) - (coldMoments.start as number))
        addSteps(result.coldSteps, coldMoments)
        log(`run ${run}/${runs}: healthy ${result.healthy.at(-1)} ms, failover ${failover} ms, cold ${result.cold.at(-1)} ms`)
      } finally {
        await chromium.close()
      }
    }
  } finally {
    await Promise.all([seeder.stop(), coldSeeder.stop()])
    await Promise.all([origin.stop(), doh.stop(), tracker.stop()])
  }
  return result
}

/**
 * The moments of the failover a tab just went through, from the browser's own clock: `start` is
 * the failing navigation's start as the background saw it (webNavigation's time stamp).
 */
async function failoverMoments (chromium: ChromiumWithExtension, page: Page): Promise<Partial<Record<Moment | 'start', number>>> {
  const moments = { ...await momentsIn(await chromium.serviceWorker()), ...await momentsIn(page) }
  if (moments['navigation-start'] === undefined || moments.rendered === undefined) throw new Error('the failover left no navigation-start or rendered moment')
  return { start: moments['navigation-start'], ...moments }
}

/** Navigation start → end of the load event, from the page's Navigation Timing. */
async function loadTime (page: Page): Promise<number> {
  return await page.evaluate(() => {
    const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return Math.round(entry.loadEventEnd - entry.startTime)
  })
}

function addSteps (steps: Record<string, number[]>, moments: Partial<Record<Moment | 'start', number>>): void {
  for (const [name, from, to] of STEPS) {
    const start = moments[from]
    const end = moments[to]
    if (start === undefined || end === undefined) continue
    ;(steps[name] ??= []).push(Math.max(0, end - start))
  }
}
