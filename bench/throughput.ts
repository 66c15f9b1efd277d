// Benchmark 3: a 20 MB single-file torrent from one Node seeder, fetched through the viewer (a
// failover to it), by a stock WebTorrent client in a plain web page (same bundle, its default
// settings and store), and over plain HTTP from the origin — side by side, in one browser each run.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { encodeTorrentRecords } from '../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker } from '../test/world/index.ts'
import { failOverTo, launchReader, momentsIn, pageOfSize, sha1 } from './world.ts'

export interface ThroughputRuns { bytes: number, viewer: number[], stock: number[], http: number[] }

export async function throughputBenchmark (runs: number, bytes = 20 * 1024 * 1024, log: (line: string) => void = () => {}): Promise<ThroughputRuns> {
  const dir = dirname(await pageOfSize(1024))
  const file = join(dir, 'big.html')
  const block = '<p>' + 'x'.repeat(1019) + '</p>\n'
  await writeFile(file, `<!doctype html><title>Big</title><h1 id="title">Big</h1>\n${block.repeat(Math.floor(bytes / block.length))}`)
  const size = (await readFile(file)).length
  const tracker = await startTracker()
  const doh = await startDoh()
  const origin = await startOrigin({ root: dir })
  origin.setFile('/webtorrent.min.js', await readFile(resolve('node_modules/webtorrent/dist/webtorrent.min.js')))
  origin.setFile('/stock.html', '<!doctype html><title>stock WebTorrent</title><script type="module">import WebTorrent from "/webtorrent.min.js"; globalThis.WebTorrent = WebTorrent</script>')
  const seeder = await startSeeder({ input: [file], announce: [tracker.wsUrl] })
  const records = encodeTorrentRecords(seeder.torrentFile)
  if (!records.ok) throw records.error
  doh.setTxt(`${sha1('/big.html')}._torrent.tp.test`, records.value)
  const result: ThroughputRuns = { bytes: size, viewer: [], stock: [], http: [] }
  try {
    for (let run = 1; run <= runs; run++) {
      const chromium = await launchReader(doh)
      try {
        const base = `http://tp.test:${origin.port}`
        // A web page gathers WebRTC candidates only with microphone permission, which only a
        // secure context gets: the stock client's page is served from 127.0.0.1.
        const local = `http://127.0.0.1:${origin.port}`
        await chromium.context.grantPermissions(['microphone'], { origin: local })
        // Plain HTTP, the ceiling.
        const page = await chromium.context.newPage()
        await page.goto(`${local}/stock.html`)
        result.http.push(await page.evaluate(async (url) => {
          const started = performance.now()
          await (await fetch(url, { cache: 'no-store' })).arrayBuffer()
          return performance.now() - started
        }, `${local}/big.html`))
        // A stock client in a web page.
        await page.waitForFunction(() => 'WebTorrent' in globalThis)
        result.stock.push(await page.evaluate(async (torrent) => await new Promise<number>((resolve, reject) => {
          const WebTorrent = (globalThis as any).WebTorrent
          const client = new WebTorrent({ tracker: { rtcConfig: { iceServers: [] } } })
          const started = performance.now()
          client.on('error', reject)
          const added = client.add(new Uint8Array(torrent))
          added.once('done', () => { resolve(performance.now() - started); client.destroy() })
          setTimeout(() => reject(new Error(`stock client: ${added.progress} done after 120 s`)), 120_000)
        }), [...seeder.torrentFile]))
        await page.close()
        // The viewer: a failover to the same torrent, from its metadata to the last piece.
        await origin.setMode('down')
        const tab = await chromium.context.newPage()
        await failOverTo(tab, `${base}/big.html`, 120_000)
        const moments = await momentsIn(tab)
        result.viewer.push((moments.complete as number) - (moments.metadata as number))
        await origin.setMode('up')
        log(`run ${run}/${runs}: viewer ${result.viewer.at(-1)?.toFixed(0)} ms, stock ${result.stock.at(-1)?.toFixed(0)} ms, http ${result.http.at(-1)?.toFixed(0)} ms`)
      } finally {
        await chromium.close()
      }
    }
  } finally {
    await seeder.stop()
    await Promise.all([origin.stop(), doh.stop(), tracker.stop()])
  }
  return result
}
