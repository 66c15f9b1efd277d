// Benchmark 3: a 20 MB single-file torrent from one Node seeder, fetched through the viewer (a
// failover to it), by a stock WebTorrent client in a plain web page (same bundle, its default
// settings and store), and over plain HTTP from the origin — side by side, in one browser each run.
// Where the viewer's transfer goes: the CPU each kind of process spent meanwhile (/proc), the
// viewer's main thread by script (a CPU profile), and the SHA-1 of every piece alone.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { encodeTorrentRecords } from '../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker } from '../test/world/index.ts'
import bencode from 'bencode'
import { cpuByKind } from './processes.ts'
import { launchReader, momentsIn, pageOfSize, sha1 } from './world.ts'

export interface ThroughputRuns {
  bytes: number
  viewer: number[]
  stock: number[]
  http: number[]
  /** Where the viewer's transfers went: per kind of process, CPU seconds per second of transfer (1 = a whole core); 'Node seeder' is the bench's own process. */
  cpu: Array<Record<string, number>>
  /** SHA-1 of every piece of the file in the viewer page, ms (as WebTorrent checks them). */
  hashing: number[]
  /** The viewer's main thread while it downloads: the share of time in each script (or idle, or native work), 0–1. */
  mainThread: Array<Record<string, number>>
}

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
  const result: ThroughputRuns = { bytes: size, viewer: [], stock: [], http: [], cpu: [], hashing: [], mainThread: [] }
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
        const [cpuBefore, nodeBefore, wallBefore] = [await cpuByKind(chromium.profileDir), process.cpuUsage(), Date.now()]
        // The viewer's main thread, profiled from the moment it runs until the last piece.
        await tab.goto(`${base}/big.html`).catch(() => {}) // it fails: that is the point
        await tab.waitForURL(/\/src\/viewer\/viewer\.html\?/, { timeout: 30_000 })
        const profiler = await tab.context().newCDPSession(tab)
        await profiler.send('Profiler.enable')
        await profiler.send('Profiler.start')
        await tab.waitForFunction(() => performance.getEntriesByName('peerback:complete').length > 0, undefined, { timeout: 120_000, polling: 100 })
        const { profile } = await profiler.send('Profiler.stop')
        result.mainThread.push(mainThreadShares(profile as CpuProfile))
        await profiler.detach()
        const [cpuAfter, nodeUsed, wall] = [await cpuByKind(chromium.profileDir), process.cpuUsage(nodeBefore), (Date.now() - wallBefore) / 1000]
        result.cpu.push({
          'Node seeder': (nodeUsed.user + nodeUsed.system) / 1e6 / wall,
          ...Object.fromEntries(Object.entries(cpuAfter).map(([kind, seconds]) => [kind, (seconds - (cpuBefore[kind] ?? 0)) / wall]))
        })
        const moments = await momentsIn(tab)
        result.viewer.push((moments.complete as number) - (moments.metadata as number))
        result.hashing.push(await tab.evaluate(async ([length, pieceLength]) => {
          const bytes = new Uint8Array(length)
          const started = performance.now()
          for (let at = 0; at < length; at += pieceLength) await crypto.subtle.digest('SHA-1', bytes.subarray(at, Math.min(length, at + pieceLength)))
          return performance.now() - started
        }, [size, (bencode.decode(seeder.torrentFile) as { info: { 'piece length': number } }).info['piece length']] as const))
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

interface CpuProfile {
  nodes: Array<{ id: number, callFrame: { url: string, functionName: string } }>
  samples: number[]
}

/** A CPU profile's samples by where they were: the WebTorrent bundle, the extension's own scripts, idle, or the rest. */
function mainThreadShares (profile: CpuProfile): Record<string, number> {
  const where = new Map(profile.nodes.map((node) => {
    const { url, functionName } = node.callFrame
    const kind = url.includes('/vendor/webtorrent') ? 'WebTorrent'
      : url.startsWith('chrome-extension://') ? 'Peerback'
        : functionName === '(idle)' ? 'idle'
          : functionName === '(garbage collector)' ? 'garbage collection'
            : 'browser (native, program)'
    return [node.id, kind]
  }))
  const counts: Record<string, number> = {}
  for (const sample of profile.samples) {
    const kind = where.get(sample) ?? 'browser (native, program)'
    counts[kind] = (counts[kind] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).map(([kind, count]) => [kind, count / profile.samples.length]))
}
