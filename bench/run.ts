// `npm run bench`: every benchmark in the loopback world, side by side, then a table on the
// terminal, docs/benchmarks.md and one SVG chart per benchmark in docs/benchmarks/.
// `npm run bench -- --quick` runs fewer rounds (a smoke test of the benchmarks themselves);
// `npm run bench -- failover memory` runs only those.
import { execFileSync } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { findChromium } from '../test/world/index.ts'
import { breakdownChart, dotChart } from './chart.ts'
import { failoverBenchmark } from './failover.ts'
import { filesBenchmark } from './files.ts'
import { K, keptBenchmark } from './kept.ts'
import { MANY_TABS, memoryBenchmark } from './memory.ts'
import { offloadBenchmark } from './offload.ts'
import { overheadBenchmark } from './overhead.ts'
import { readPreviousRun, summaryTable } from './previous-run.ts'
import { formatSummary, median, percentile, summarize } from './stats.ts'
import { throughputBenchmark } from './throughput.ts'

const DOCS = resolve('docs')
/** Readers of one page in the growth case of benchmark 4. */
const CROWD = 20
const CHARTS = join(DOCS, 'benchmarks')
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const only = args.filter((arg) => !arg.startsWith('--'))
const wanted = (name: string): boolean => only.length === 0 || only.includes(name)
const began = Date.now()
const log = (line: string): void => { console.log(`[${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`) }

interface Row { benchmark: string, measured: string, compared: string, ratio: string, target: string, met: boolean | null }
const rows: Row[] = []
const sections: string[] = []

/** A partial run leaves the charts as they are, as it leaves docs/benchmarks.md. */
async function chart (name: string, svg: Promise<string>): Promise<string> {
  if (only.length === 0) await writeFile(join(CHARTS, `${name}.svg`), await svg)
  return `![${name}](benchmarks/${name}.svg)`
}

const ms = (samples: number[]): string => formatSummary(summarize(samples), 'ms')
/** A difference with its sign, − for less. */
const signed = (value: number): string => value < 0 ? `−${-value}` : `+${value}`

/** Moments in the order they came, with their median time since the navigation started. */
const timeline = (moments: Record<string, number[]>): string =>
  Object.entries(moments).map(([moment, at]) => [moment, median(at)] as const).sort((a, b) => a[1] - b[1]).map(([moment, at]) => `${moment} ${Math.round(at)} ms`).join(' → ')

async function failover (): Promise<void> {
  const runs = quick ? 2 : 10
  log(`1 and 6: failover and cold start, ${runs} fresh profiles`)
  const result = await failoverBenchmark(runs, 100 * 1024, log)
  const warm = median(result.failover)
  const cold = median(result.cold)
  const bare = median(result.bare)
  rows.push({ benchmark: '1 failover, 100 KB page, 1 seeder', measured: ms(result.failover), compared: `bare peer fetch ${ms(result.bare)}; healthy load ${ms(result.healthy)}`, ratio: `${(warm / bare).toFixed(2)}× bare (${(warm / median(result.healthy)).toFixed(1)}× healthy)`, target: '≤ 1.15 × bare', met: warm <= 1.15 * bare })
  const cached = median(result.cached)
  // What no failover can beat: the failure seen and the torrent found, then the bare fetch.
  const floor = median(result.timeline['copy-found'] ?? []) + bare
  rows.push({ benchmark: '1b failover, the pointer cached (X-Torrent seen on a healthy visit)', measured: ms(result.cached), compared: `bare peer fetch ${Math.round(bare)} ms`, ratio: `${(cached / bare).toFixed(2)}× bare`, target: '(≤ 1.15 × bare)', met: null })
  rows.push({ benchmark: '6 cold start (worker stopped)', measured: ms(result.cold), compared: `warm ${Math.round(warm)} ms`, ratio: `${signed(Math.round(cold - warm))} ms`, target: '≤ +150 ms', met: cold - warm <= 150 })
  const steps = Object.keys(result.steps)
  sections.push([
    '## 1. Failover time, and 6. cold start',
    '',
    `Navigation start on a dead origin (connection refused; the start as \`webNavigation\` stamps it) → the copy on screen (the viewer's \`rendered\` moment), a 100 KB page, one Node seeder, the DNS page record holding the torrent, ${runs} runs each with a fresh profile; beside it, the healthy load of the same page from the origin (navigation start → load event, Navigation Timing), the same failover of another page after \`ServiceWorker.stopAllWorkers\`, and the bare peer fetch: in the same browser, just before the failover, a stock WebTorrent client (the extension's own bundle, no STUN servers) in an extension page that is already open adds the same torrent and gets the same document from the same seeder (add → the document's bytes).`,
    '',
    '| step | warm, median (min–max) | pointer cached | cold worker |',
    '|---|---|---|---|',
    ...steps.map((step) => `| ${step} | ${ms(result.steps[step] ?? [])} | ${ms(result.cachedSteps[step] ?? [])} | ${ms(result.coldSteps[step] ?? [])} |`),
    `| **total** | **${ms(result.failover)}** | **${ms(result.cached)}** | **${ms(result.cold)}** |`,
    `| bare peer fetch | ${ms(result.bare)} | | |`,
    `| healthy load | ${ms(result.healthy)} | | |`,
    '',
    'Steps: detection = navigation start → the background sees the failure; lookup = → the torrent found (cache, DNS); tab switch = → the viewer\'s script runs; metadata = → the torrent added and checked (the WebTorrent bundle loaded: the bare fetch\'s page had it already); first byte = → the first piece from a peer; document = → the page\'s file complete; render = → on screen in the sandbox. The timeline below adds the viewer page\'s own loading (Navigation Timing: navigation, response, DOM interactive) and the moment the browser\'s own error page for the failed navigation committed (`webNavigation.onErrorOccurred`): the viewer\'s document cannot commit in the tab before it, however early its navigation starts.',
    '',
    `Pointer cached: the same failover of another page, whose \`X-Torrent\` the reader saw on a healthy visit just before (its .torrent fetched then), and which publishes no DNS record: the torrent comes from the pointer cache. The floor no failover can beat, the failure seen and the torrent found (warm, ${Math.round(median(result.timeline['copy-found'] ?? []))} ms) then the bare fetch, is ${Math.round(floor)} ms: the warm failover is ${(warm / floor).toFixed(2)}× that floor, ${(floor / bare).toFixed(2)}× the bare fetch before any tab switch, bundle or render.`,
    '',
    `The warm failover's timeline, each moment's time since the navigation started (medians): ${timeline(result.timeline)}.`,
    '',
    `The same with the pointer cached: ${timeline(result.cachedTimeline)}.`,
    '',
    await chart('failover', dotChart('Failover: navigation start → copy on screen', 'ms', [
      { label: 'healthy load', samples: result.healthy }, { label: 'bare peer fetch', samples: result.bare }, { label: 'failover', samples: result.failover }, { label: 'failover, pointer cached', samples: result.cached }, { label: 'failover, cold worker', samples: result.cold }
    ])),
    await chart('failover-steps', breakdownChart('Where the failover time goes (medians)', 'ms', [
      ...steps.map((part) => ({ variant: 'warm', part, value: median(result.steps[part] ?? []) })),
      ...steps.map((part) => ({ variant: 'pointer cached', part, value: median(result.cachedSteps[part] ?? []) })),
      ...steps.map((part) => ({ variant: 'cold worker', part, value: median(result.coldSteps[part] ?? []) }))
    ]))
  ].join('\n'))
}

async function overhead (): Promise<void> {
  const loads = quick ? 6 : 100
  log(`2: overhead on healthy browsing, ${loads} loads each`)
  const result = await overheadBenchmark(loads, log)
  const p90 = (samples: number[]): number => percentile(samples, 0.9)
  const ratio = median(result.withExtension) / median(result.without)
  const p90Ratio = p90(result.withExtension) / p90(result.without)
  const ownRatio = median(result.withExtension) / median(result.listenersOnly)
  const permissionRatio = median(result.permissionOnly) / median(result.without)
  const eventsRatio = median(result.listenersOnly) / median(result.permissionOnly)
  const arm = (samples: number[]): string => `${ms(samples)}, p90 ${Math.round(p90(samples))} ms`
  rows.push({ benchmark: '2 overhead on healthy loads', measured: arm(result.withExtension), compared: `no extension ${arm(result.without)}; the permissions alone ${arm(result.permissionOnly)}; empty listeners ${arm(result.listenersOnly)}`, ratio: `median ${ratio.toFixed(3)}, p90 ${p90Ratio.toFixed(3)} (the permissions alone ${permissionRatio.toFixed(3)}; median vs empty listeners ${ownRatio.toFixed(3)})`, target: 'median and p90 ≤ 1.05', met: ratio <= 1.05 && p90Ratio <= 1.05 })
  sections.push([
    '## 2. Overhead on healthy browsing',
    '',
    `${loads} loads per arm of the fixture site (two pages, new query each time), interleaved (the order rotates each round) between Chromium with the extension, the same Chromium without it, with a do-nothing extension that holds the same permissions and listens to nothing (bench/permission-only/), and with one that registers the same browser events with empty listeners (bench/listeners-only/); the site sends pointer headers (\`X-Torrent\` to a real site torrent, \`Repr-Digest\`) on every response, so the extension reads and stores them. Load time from Navigation Timing (navigation start → end of the load event).`,
    '',
    `With Peerback ${arm(result.withExtension)}; without ${arm(result.without)}; the permissions alone ${arm(result.permissionOnly)}; empty listeners ${arm(result.listenersOnly)}. Ratio against no extension: median **${ratio.toFixed(3)}**, p90 **${p90Ratio.toFixed(3)}**. Of that, medians: holding the \`webRequest\` permission ${permissionRatio.toFixed(3)}× (Chrome routes every request of the profile through its webRequest proxy once an extension holding it is loaded, whether it listens or not), the events delivered to empty listeners ${eventsRatio.toFixed(3)}× on top, and Peerback's own code **${ownRatio.toFixed(3)}×** on top of that.`,
    '',
    await chart('overhead', dotChart('Healthy page loads', 'ms', [{ label: 'with Peerback', samples: result.withExtension }, { label: 'empty listeners', samples: result.listenersOnly }, { label: 'permissions alone', samples: result.permissionOnly }, { label: 'no extension', samples: result.without }]))
  ].join('\n'))
}

async function throughput (): Promise<void> {
  const runs = quick ? 1 : 3
  log(`3: throughput, 20 MB, ${runs} runs`)
  const result = await throughputBenchmark(runs, 20 * 1024 * 1024, log)
  const rate = (samples: number[]): number[] => samples.map((time) => result.bytes / 1024 / 1024 / (time / 1000))
  const ratio = median(rate(result.viewer)) / median(rate(result.stock))
  const mbps = (samples: number[]): string => formatSummary(summarize(rate(samples)), 'MiB/s', 1)
  const mainKinds = [...new Set(result.mainThread.flatMap((run) => Object.keys(run)))].sort((a, b) => median(result.mainThread.map((run) => run[b] ?? 0)) - median(result.mainThread.map((run) => run[a] ?? 0)))
  const cpuKinds = [...new Set(result.cpu.flatMap((run) => Object.keys(run)))].sort((a, b) => median(result.cpu.map((run) => run[b] ?? 0)) - median(result.cpu.map((run) => run[a] ?? 0)))
  rows.push({ benchmark: '3 throughput, 20 MB single file', measured: mbps(result.viewer), compared: `stock WebTorrent ${mbps(result.stock)}; HTTP ${mbps(result.http)}`, ratio: ratio.toFixed(2), target: 'viewer/stock ≥ 0.95', met: ratio >= 0.95 })
  sections.push([
    '## 3. Throughput',
    '',
    `A ${(result.bytes / 1024 / 1024).toFixed(0)} MiB single-file torrent from one Node seeder, ${runs} runs, each in a fresh profile: through the viewer (metadata → last piece), by a stock WebTorrent client (the same bundle, default options and store) in a plain web page of the same browser, and over plain HTTP from the origin.`,
    '',
    `Viewer ${mbps(result.viewer)}; stock ${mbps(result.stock)}; HTTP ${mbps(result.http)}; viewer/stock **${ratio.toFixed(2)}**.`,
    '',
    `Where the viewer's transfer goes (medians over the runs): CPU per second of transfer, 1 = a whole core of the 2 — ${cpuKinds.map((kind) => `${kind} ${median(result.cpu.map((run) => run[kind] ?? 0)).toFixed(2)}`).join(', ')}. SHA-1 of every piece, as WebTorrent checks them, in the viewer page: ${ms(result.hashing)} for the ${(result.bytes / 1024 / 1024).toFixed(0)} MiB (${(100 * median(result.hashing) / median(result.viewer)).toFixed(0)} % of the transfer time). The viewer's main thread meanwhile (a CPU profile, share of samples): ${mainKinds.map((kind) => `${kind} ${(100 * median(result.mainThread.map((run) => run[kind] ?? 0))).toFixed(0)} %`).join(', ')}. The store is memory (a Map of pieces): no copy beyond the piece's own. The viewer's renderer carries the WebRTC transport (DTLS, SCTP), WebTorrent's wire protocol and the hashing; the seeder is a Node process with the same WebTorrent over node-webrtc.`,
    '',
    await chart('throughput', dotChart('Throughput, 20 MB', 'MiB/s', [{ label: 'viewer', samples: rate(result.viewer) }, { label: 'stock WebTorrent', samples: rate(result.stock) }, { label: 'plain HTTP', samples: rate(result.http) }]))
  ].join('\n'))
}

async function offload (): Promise<void> {
  const trials = quick ? 1 : 3
  log(`4: origin offload, 4 readers, ${trials} trials`)
  const result = await offloadBenchmark(trials, 4, 5 * 1024 * 1024, log)
  const share = median(result.shares)
  rows.push({ benchmark: '4 origin offload, 4 readers × 5 MB', measured: `share ${formatSummary(summarize(result.shares), '', 2)}`, compared: 'seeder upload ÷ (4 × size)', ratio: share.toFixed(2), target: '≤ 0.35', met: share <= 0.35 })
  const crowdTrials = quick ? 1 : 2
  log(`4: origin offload, ${CROWD} readers, ${crowdTrials} trials`)
  const crowd = await offloadBenchmark(crowdTrials, CROWD, 4 * 1024 * 1024, log)
  const crowdShare = median(crowd.shares)
  const perPosition = (runs: number[][], index: number): number[] => runs.map((trial) => trial[index] ?? 0)
  const firstFailover = median(perPosition(crowd.failoverMs, 0))
  const laterFailover = median(crowd.failoverMs.flatMap((trial) => trial.slice(1)))
  rows.push({ benchmark: `4 origin offload, ${CROWD} readers × 4 MB`, measured: `share ${formatSummary(summarize(crowd.shares), '', 3)}`, compared: `floor 1/${CROWD} = ${(1 / CROWD).toFixed(3)}`, ratio: crowdShare.toFixed(3), target: '≤ 0.08', met: crowdShare <= 0.08 })
  sections.push([
    '## 4. Origin offload',
    '',
    `Four browser profiles open the same 5 MiB page one after another (each keeps its tab open, so keeps seeding) while the site's one seeder stays up; ${trials} trials. Share = bytes the seeder uploaded ÷ (4 × size). Per reader, the copies the seeder sent it: ${result.perReader.map((trial) => trial.map((value) => value.toFixed(2)).join(' / ')).join('; ')}.`,
    '',
    `Share **${share.toFixed(2)}** (median of ${trials}).`,
    '',
    `Then ${CROWD} profiles, one after another, a 4 MiB page, ${crowdTrials} trials: share **${crowdShare.toFixed(3)}** (the floor is 1/${CROWD} = ${(1 / CROWD).toFixed(3)}: the first reader has only the seeder). Per reader, the copies the seeder sent it: ${crowd.perReader.map((trial) => trial.map((value) => value.toFixed(2)).join(' / ')).join('; ')}. Failover as the test driver saw it (a link to the dead page → the copy on screen, Playwright attached): the first reader ${Math.round(firstFailover)} ms, readers 2–${CROWD} ${formatSummary(summarize(crowd.failoverMs.flatMap((trial) => trial.slice(1))), 'ms')} (median ${Math.round(laterFailover)} ms; by position: ${Array.from({ length: CROWD }, (_, index) => Math.round(median(perPosition(crowd.failoverMs, index)))).join(', ')} ms).`,
    '',
    await chart('offload', dotChart('Seeder upload per reader (copies of the page)', 'copies', result.perReader[0]?.map((_, index) => ({ label: `reader ${index + 1}`, samples: result.perReader.map((trial) => trial[index] ?? 0) })) ?? [])),
    await chart('offload-crowd', dotChart(`${CROWD} readers: seeder upload per reader (copies of the page)`, 'copies', crowd.perReader[0]?.map((_, index) => ({ label: `reader ${index + 1}`, samples: perPosition(crowd.perReader, index) })) ?? []))
  ].join('\n'))
}

async function memory (): Promise<void> {
  const trials = quick ? 1 : 2
  log(`5: memory, ${trials} trials`)
  const result = await memoryBenchmark(trials, log)
  const idleDelta = median(result.idleWith) - median(result.idleWithout)
  const stoppedDelta = median(result.idleWithStopped) - median(result.idleWithout)
  const seeding = median(result.extensionSeeding)
  const mib = (samples: number[]): string => formatSummary(summarize(samples), 'MiB')
  rows.push({ benchmark: '5a memory idle (worker stopped, as after 30 s)', measured: mib(result.idleWithStopped), compared: `no extension ${mib(result.idleWithout)}; worker running ${mib(result.idleWith)}`, ratio: `+${stoppedDelta.toFixed(0)} MiB (running: +${idleDelta.toFixed(0)})`, target: '≤ +30 MiB', met: stoppedDelta <= 30 })
  rows.push({ benchmark: '5b memory, viewer seeding 5 MB', measured: mib(result.extensionSeeding), compared: `extension processes idle ${mib(result.extensionIdle)}`, ratio: `${seeding.toFixed(0)} MiB`, target: '≤ 80 MiB', met: seeding <= 80 })
  const afterManyDelta = median(result.afterMany) - median(result.idleWithStopped)
  rows.push({ benchmark: `5c memory after ${MANY_TABS} copies open at once, then closed (worker stopped)`, measured: mib(result.afterMany), compared: `idle, worker stopped ${mib(result.idleWithStopped)}`, ratio: `${afterManyDelta >= 0 ? '+' : ''}${afterManyDelta.toFixed(0)} MiB`, target: 'near idle (≤ +30 MiB)', met: afterManyDelta <= 30 })
  const keptDelta = median(result.keepingOne) - median(result.keepingNothing)
  const nothingDelta = median(result.keepingNothing) - median(result.keepingOff)
  const plus = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)} MiB`
  rows.push({ benchmark: '5d memory, keep sharing on, nothing kept (worker stopped)', measured: mib(result.keepingNothing), compared: `the setting off, beside it ${mib(result.keepingOff)}`, ratio: plus(nothingDelta), target: 'no host open (≈ 0)', met: null })
  rows.push({ benchmark: '5e memory, after a restart, sharing a kept 5 MB copy from disk (worker stopped)', measured: mib(result.keepingOne), compared: `keep sharing on, nothing kept ${mib(result.keepingNothing)}`, ratio: plus(keptDelta), target: '≤ +40 MiB', met: keptDelta <= 40 })
  sections.push([
    '## 5. Memory',
    '',
    `Proportional set size (PSS) from /proc/<pid>/smaps_rollup, summed over Chromium's processes, ${trials} trials, 3 s after things settle: Chromium with one blank tab, with the extension and without (the whole browser), with the extension's service worker running and after it stops (Chrome stops an idle extension worker after 30 s; here CDP \`ServiceWorker.stopAllWorkers\`); the extension's own processes (\`--extension-process\`: worker, viewer) idle and while a viewer shows and seeds a 5 MiB page; and the whole browser after ${MANY_TABS} tabs failed over at once (a 100 KB page each) and were all closed and the worker stopped.`,
    '',
    `Idle: ${mib(result.idleWithout)} without; with the extension ${mib(result.idleWith)} while its worker runs (**+${idleDelta.toFixed(0)} MiB**), ${mib(result.idleWithStopped)} once it stops (**+${stoppedDelta.toFixed(0)} MiB**). Extension processes: ${mib(result.extensionIdle)} idle, **${mib(result.extensionSeeding)}** seeding. After ${MANY_TABS} copies opened and closed: ${mib(result.afterMany)} (**${afterManyDelta >= 0 ? '+' : ''}${afterManyDelta.toFixed(0)} MiB** against idle with the worker stopped; the extension's own processes ${mib(result.afterManyExtension)}). A viewer the tab navigated away from instead stays in Chromium's back/forward cache and keeps the extension's process (some 55 MiB) until the cache drops it.`,
    '',
    `Keep sharing pages read (issue 22), in two more fresh profiles side by side, the setting off in one and on in the other, workers stopped: ${mib(result.keepingOff)} off, ${mib(result.keepingNothing)} on with nothing kept (**${plus(nothingDelta)}**: no host is open); then the 5 MiB copy opened from the seeder and its tab closed, the offscreen document sharing it: ${mib(result.keepingAfterTab)} (${plus(median(result.keepingAfterTab) - median(result.keepingNothing))}: the host opens in the viewer's own extension process, which keeps what the viewer used); then that browser restarted, the host sharing the copy from disk: ${mib(result.keepingOne)} (**${plus(keptDelta)}**).`,
    '',
    await chart('memory', dotChart('Memory (PSS)', 'MiB', [
      { label: 'Chromium idle, without', samples: result.idleWithout }, { label: 'with Peerback, worker running', samples: result.idleWith }, { label: 'with Peerback, worker stopped', samples: result.idleWithStopped },
      { label: 'extension processes, idle', samples: result.extensionIdle }, { label: 'extension processes, seeding 5 MB', samples: result.extensionSeeding },
      { label: `with Peerback, after ${MANY_TABS} copies closed`, samples: result.afterMany },
      { label: 'keep sharing on, nothing kept', samples: result.keepingNothing }, { label: 'one 5 MB copy shared, its tab just closed', samples: result.keepingAfterTab }, { label: 'one 5 MB copy shared from disk after a restart', samples: result.keepingOne }
    ]))
  ].join('\n'))
}

async function files (): Promise<void> {
  const runs = quick ? 1 : 2
  log(`7: a 20 MB file saved from peers, mirrors and both, ${runs} runs`)
  const result = await filesBenchmark(runs, 20 * 1024 * 1024, log)
  const rate = (samples: number[]): number[] => samples.map((time) => result.bytes / 1024 / 1024 / (time / 1000))
  const mbps = (samples: number[]): string => formatSummary(summarize(rate(samples)), 'MiB/s', 1)
  const hybrid = median(rate(result.both)) / Math.max(median(rate(result.peers)), median(rate(result.mirrors)))
  rows.push({ benchmark: '7a a 20 MB .tar.gz saved, origin down: seeder + 2 mirrors', measured: `both ${mbps(result.both)}`, compared: `peers ${mbps(result.peers)}; 2 mirrors ${mbps(result.mirrors)}`, ratio: `${hybrid.toFixed(2)}× the faster alone`, target: '≥ 1.1', met: hybrid >= 1.1 })
  const damageCost = (damaged: number[], clean: number[]): number => median(damaged) / median(clean)
  const withTorrent = damageCost(result.bothDamaged, result.both)
  const without = damageCost(result.mirrorsDamaged, result.mirrors)
  rows.push({ benchmark: '7b one of the 2 mirrors damaged, with the torrent', measured: mbps(result.bothDamaged), compared: `clean ${mbps(result.both)}`, ratio: `${withTorrent.toFixed(2)}× the clean time`, target: '≤ 1.5', met: withTorrent <= 1.5 })
  rows.push({ benchmark: '7c one of the 2 mirrors damaged, no torrent', measured: mbps(result.mirrorsDamaged), compared: `clean ${mbps(result.mirrors)}`, ratio: `${without.toFixed(2)}× the clean time`, target: '≤ 1.5', met: without <= 1.5 })
  sections.push([
    '## 7. Files: a 20 MB download from peers, mirrors, both',
    '',
    `A ${(result.bytes / 1024 / 1024).toFixed(0)} MiB .tar.gz whose origin is down, ${runs} runs, each in a fresh profile, side by side: from one Node seeder (the DNS page record names its single-file torrent, in 256 KiB pieces as \`peerback publish\` makes them for a file this large); from the site's two mirrors with no torrent (the failing 503 names them and the MD5; ranges of 2 MiB, then the digest); from both (the seeder, the mirrors feeding the torrent in 2 MiB ranges from the file's end while the peer works from its start, every piece hash-checked); and the last two again with one of the two mirrors damaged (one byte flipped in every 16 KiB; the good one answers the first-byte probe 50 ms later, so the damaged one is tried first). Time from the viewer's start (lookup included) to the file in the downloads folder (hashed on the way, SHA-256 shown).`,
    '',
    `Peers ${mbps(result.peers)}; mirrors ${mbps(result.mirrors)}; both ${mbps(result.both)} (**${hybrid.toFixed(2)}×** the faster alone). One mirror damaged: with the torrent ${mbps(result.bothDamaged)} (**${withTorrent.toFixed(2)}×** the clean time), without ${mbps(result.mirrorsDamaged)} (**${without.toFixed(2)}×**).`,
    '',
    await chart('files', dotChart('A 20 MB file saved, origin down', 'MiB/s', [
      { label: 'peers (1 seeder)', samples: rate(result.peers) }, { label: '2 mirrors, no torrent', samples: rate(result.mirrors) }, { label: 'seeder + 2 mirrors', samples: rate(result.both) },
      { label: '2 mirrors (1 damaged), no torrent', samples: rate(result.mirrorsDamaged) }, { label: 'seeder + 2 mirrors (1 damaged)', samples: rate(result.bothDamaged) }
    ]))
  ].join('\n'))
}

async function kept (): Promise<void> {
  const pages = quick ? 3 : 10
  log(`8: a swarm that outlives the tabs, 5 readers, ${pages} pages`)
  const result = await keptBenchmark(pages, log)
  const ratio = median(result.fromKept) / median(result.fromLive)
  const copies = summarize(result.originCopies)
  rows.push({ benchmark: `8a pages back after the readers' restart, site and seeders down`, measured: `${result.recovered} of ${pages}`, compared: `kept by ${result.keptBy.join(', ')} of the 5 readers' ${pages} pages`, ratio: `${result.recovered}/${pages}`, target: `all ${pages}`, met: result.recovered === pages })
  rows.push({ benchmark: '8b failover from kept copies (after a restart)', measured: ms(result.fromKept), compared: `from a live tab ${ms(result.fromLive)}`, ratio: `${ratio.toFixed(2)}× the live tab`, target: '–', met: null })
  rows.push({ benchmark: '8c copies of each page the site served to the warming', measured: `median ${copies.median.toFixed(2)}, most ${Math.max(...result.originCopies).toFixed(2)}`, compared: `K = ${K}`, ratio: `${(Math.max(...result.originCopies) / K).toFixed(2)} × K`, target: `≤ K (${K})`, met: Math.max(...result.originCopies) <= K })
  sections.push([
    '## 8. A swarm that outlives the tabs',
    '',
    `Five Chromium readers with "Keep sharing pages I've read" on read ${pages} pages of a site (some 100 KB each, one torrent per page, each seeded by the site's own Node seeder and named by its \`X-Torrent\`) while the site is healthy, one reader after another, each browser open while the next reads; each page read is fetched to keep only while the tracker's scrape shows fewer than K = ${K} readers. The browsers restart; the site and its seeders go down. A new reader then fails over to every page (DNS page records), from the readers who kept it; then a reader that opened every page and keeps its tabs open stands in for today's live-tab sharing, the keepers close, and another new reader fails over to every page from it. Failover time: the navigation → the copy rendered.`,
    '',
    `Kept by the readers in turn: ${result.keptBy.join(', ')}. Pages back after the restart: **${result.recovered} of ${pages}**. Failover from kept copies ${ms(result.fromKept)}, from a live tab ${ms(result.fromLive)} (**${ratio.toFixed(2)}×**). Copies of each page the site's seeders uploaded to the warming: median ${copies.median.toFixed(2)}, most **${Math.max(...result.originCopies).toFixed(2)}** (K = ${K}).`,
    '',
    await chart('kept', dotChart('Failover of a page, origin and seeder down', 'ms', [{ label: 'from kept copies, after a restart', samples: result.fromKept }, { label: 'from a live tab', samples: result.fromLive }]))
  ].join('\n'))
}

function machine (): string {
  const chromiumVersion = execFileSync(findChromium(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, ${process.platform}; Node ${process.versions.node}; ${chromiumVersion}`
}

await mkdir(CHARTS, { recursive: true })
for (const [name, run] of [['failover', failover], ['overhead', overhead], ['throughput', throughput], ['offload', offload], ['memory', memory], ['files', files], ['kept', kept]] as const) {
  if (wanted(name)) await run()
}
const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { devDependencies: Record<string, string>, dependencies: Record<string, string> }
// The run before (its summary), side by side with this one.
const previous = readPreviousRun(await readFile(join(DOCS, 'benchmarks.md'), 'utf8').catch(() => ''))
const table = summaryTable(rows.map((row) => ({ benchmark: row.benchmark, cells: [row.measured, row.compared, row.ratio, row.target, row.met === null ? '–' : row.met ? 'yes' : '**no**'] })), previous)
const document = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\`${quick ? ' --quick (fewer rounds: not for quoting)' : ''} on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${((Date.now() - began) / 60000).toFixed(1)} min.`,
  `Machine: ${machine()}. Versions: webtorrent ${pkg.dependencies.webtorrent}, playwright-core ${pkg.devDependencies['playwright-core']}.`,
  'Everything on loopback inside a private network namespace; each comparison is measured side by side in the same run.',
  '',
  table,
  '',
  ...sections.flatMap((section) => [section, ''])
].join('\n')
if (only.length === 0) await writeFile(join(DOCS, 'benchmarks.md'), document)
else console.log(document)
console.log(`\n${table}`)
log(only.length === 0 ? 'wrote docs/benchmarks.md and docs/benchmarks/*.svg' : 'a partial run: docs/benchmarks.md and its charts left as they were')
