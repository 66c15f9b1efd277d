// Benchmark 4: how much of the load the readers carry. Four browser profiles open the same 5 MB
// page one after another while the origin is down and the site's seeder stays up; each keeps its
// tab open (and so keeps seeding). The seeder's upload ÷ (4 × size): 1 would mean no help at all.
import { startDoh, startTracker } from '../test/world/index.ts'
import { closedPort, failOverTo, launchReader, momentsIn, pageOfSize, publishCopy } from './world.ts'
import type { ChromiumWithExtension } from '../test/world/index.ts'

export interface OffloadRuns { bytes: number, readers: number, shares: number[], perReader: number[][] }

export async function offloadBenchmark (trials: number, readers = 4, bytes = 5 * 1024 * 1024, log: (line: string) => void = () => {}): Promise<OffloadRuns> {
  const result: OffloadRuns = { bytes, readers, shares: [], perReader: [] }
  for (let trial = 1; trial <= trials; trial++) {
    const tracker = await startTracker()
    const doh = await startDoh()
    const site = await pageOfSize(bytes, `Offload trial ${trial}`)
    const seeder = await publishCopy(site, tracker, doh, 'offload.test', '/')
    const browsers: ChromiumWithExtension[] = []
    const uploadedAfter: number[] = []
    try {
      for (let reader = 1; reader <= readers; reader++) {
        const chromium = await launchReader(doh)
        browsers.push(chromium)
        const tab = await chromium.context.newPage()
        // Nothing listens there: every navigation is refused, the site is down.
        await failOverTo(tab, `http://offload.test:${await closedPort()}/`, 120_000)
        await tab.waitForFunction(() => document.getElementById('stats')?.dataset.done === 'true', undefined, { timeout: 120_000 })
        if ((await momentsIn(tab)).complete === undefined) throw new Error(`reader ${reader} never completed`)
        uploadedAfter.push(seeder.torrent.uploaded)
      }
      const share = seeder.torrent.uploaded / (readers * seeder.torrent.length)
      result.shares.push(share)
      result.perReader.push(uploadedAfter.map((total, index) => (total - (uploadedAfter[index - 1] ?? 0)) / seeder.torrent.length))
      log(`trial ${trial}/${trials}: seeder sent ${(share * readers).toFixed(2)} copies for ${readers} readers (share ${share.toFixed(2)}); per reader ${result.perReader.at(-1)?.map((value) => value.toFixed(2)).join(', ')}`)
    } finally {
      for (const chromium of browsers) await chromium.close()
      await seeder.stop()
      await Promise.all([doh.stop(), tracker.stop()])
    }
  }
  return result
}
