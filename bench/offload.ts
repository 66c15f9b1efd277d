// Benchmark 4: how much of the load the readers carry. The site publishes a page with
// `peerback publish` and seeds it with `peerback seed` (a real process); N browser profiles open
// the page one after another while the origin is down, each keeping its tab open (and so seeding).
// Share = the seeder's upload ÷ (N × size): 1 would mean the readers did not help at all; 1/N is
// the floor (the first reader has no one else to fetch from). The seeder's status line counts in
// tenths of a MiB: pages of some MiB keep that fine enough.
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { txtRecordsOfZone } from '../src/publisher/zone-file.ts'
import { startDoh, startTracker, type ChromiumWithExtension } from '../test/world/index.ts'
import { runPeerback, startPeerback } from '../test/world/peerback-process.ts'
import { closedPort, failOverTo, launchReader, pageOfSize } from './world.ts'

export interface OffloadRuns {
  bytes: number
  readers: number
  shares: number[]
  /** Per trial, per reader: the copies of the page the seeder sent that reader. */
  perReader: number[][]
  /** Per trial, per reader: the failover as the reader's test driver saw it (a link to the dead page → the copy on screen). */
  failoverMs: number[][]
}

/** The seeder's last status line, back in bytes (it prints KiB/MiB with one decimal). */
function uploadedOf (stdout: string): number {
  const match = [...stdout.matchAll(/uploaded ([\d.]+) (bytes|KiB|MiB)/g)].pop()
  if (match === undefined) return 0
  return Number(match[1]) * ({ bytes: 1, KiB: 1024, MiB: 1024 * 1024 } as Record<string, number>)[match[2] as string]!
}

export async function offloadBenchmark (trials: number, readers = 4, bytes = 5 * 1024 * 1024, log: (line: string) => void = () => {}): Promise<OffloadRuns> {
  const result: OffloadRuns = { bytes, readers, shares: [], perReader: [], failoverMs: [] }
  for (let trial = 1; trial <= trials; trial++) {
    const tracker = await startTracker()
    const doh = await startDoh()
    const site = await pageOfSize(bytes, `Offload trial ${trial}`)
    const port = await closedPort() // nothing listens there: the site is down
    const out = join(await mkdtemp(join(tmpdir(), 'peerback-offload-')), 'out')
    const published = await runPeerback(['publish', site, '--origin', `http://offload.test:${port}/`, '--tracker', tracker.wsUrl, '--page-torrents', '--out', out])
    if (published.code !== 0) throw new Error(`peerback publish failed: ${published.stderr}`)
    const records = txtRecordsOfZone(await readFile(join(out, '_torrent.zone'), 'utf8'))
    for (const name of new Set(records.map((record) => record.name))) {
      doh.setTxt(name, records.filter((record) => record.name === name).map((record) => record.strings))
    }
    const seed = await startPeerback(['seed', out, '--no-stun', '--interval', '0.2'], /Seeding 1 torrent/)
    const size = (await readFile(join(site, 'index.html'))).length
    const browsers: ChromiumWithExtension[] = []
    const uploadedAfter: number[] = []
    const failoverMs: number[] = []
    try {
      for (let reader = 1; reader <= readers; reader++) {
        const chromium = await launchReader(doh)
        browsers.push(chromium)
        const tab = await chromium.context.newPage()
        const started = Date.now()
        await failOverTo(tab, `http://offload.test:${port}/`, 120_000)
        failoverMs.push(Date.now() - started)
        await tab.waitForFunction(() => document.getElementById('stats')?.dataset.done === 'true', undefined, { timeout: 120_000 })
        await new Promise((resolve) => setTimeout(resolve, 500)) // the seeder's next status line
        uploadedAfter.push(uploadedOf(seed.output.stdout))
      }
      const total = uploadedAfter.at(-1) ?? 0
      result.shares.push(total / (readers * size))
      result.perReader.push(uploadedAfter.map((sent, index) => (sent - (uploadedAfter[index - 1] ?? 0)) / size))
      result.failoverMs.push(failoverMs)
      log(`trial ${trial}/${trials}: the seeder sent ${(total / size).toFixed(2)} copies for ${readers} readers (share ${(total / (readers * size)).toFixed(2)}); per reader ${result.perReader.at(-1)?.map((value) => value.toFixed(2)).join(', ')}`)
    } finally {
      for (const chromium of browsers) await chromium.close()
      await seed.stop()
      await Promise.all([doh.stop(), tracker.stop()])
    }
  }
  return result
}
