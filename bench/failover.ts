// Benchmarks 1 and 6: navigation start on a dead origin → the copy on screen, broken down into the
// extension's steps, beside a healthy load of the same page; the same failover of a page whose
// X-Torrent the reader saw on a healthy visit (the pointer cached, no DNS); and the same failover
// with the service worker stopped first (cold start). Each run uses a fresh browser profile, and no DevTools
// client watches the browser while it fails over (quiet-chromium.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDoh, startOrigin, startSeeder, startTracker } from '../test/world/index.ts'
import { launchReader, pageOfSize, publishCopy } from './world.ts'
import { launchQuietChromium, type QuietChromium } from './quiet-chromium.ts'
import type { Moment } from '../src/lib/moments.ts'

export interface FailoverRuns {
  healthy: number[]
  /**
   * The bare peer fetch: a stock WebTorrent client in an extension page already open adds the same
   * torrent and gets the same document from the same seeder (add → document bytes).
   */
  bare: number[]
  failover: number[]
  /**
   * The same failover of a page whose `X-Torrent` the reader saw on an earlier healthy visit: the
   * torrent comes from the pointer cache, no DNS lookup.
   */
  cached: number[]
  cold: number[]
  /** Per step, the samples of the warm failover. */
  steps: Record<string, number[]>
  /** Per moment, its time since the navigation started (warm). */
  timeline: Record<string, number[]>
  coldSteps: Record<string, number[]>
  cachedSteps: Record<string, number[]>
  cachedTimeline: Record<string, number[]>
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
  // A site that names its torrent in a header and publishes no DNS record.
  const cachedSite = await pageOfSize(pageBytes, 'Cached failover')
  const cachedSeeder = await startSeeder({ input: cachedSite, announce: [tracker.wsUrl], name: 'site' })
  await writeFile(join(cachedSite, 'copy.torrent'), cachedSeeder.torrentFile)
  const cachedOrigin = await startOrigin({ root: cachedSite })
  const cachedUrl = `http://cached.test:${cachedOrigin.port}/`
  cachedOrigin.setHeaders({ 'X-Torrent': `${cachedUrl}copy.torrent` })
  const result: FailoverRuns = { healthy: [], bare: [], failover: [], cached: [], cold: [], steps: {}, coldSteps: {}, cachedSteps: {}, timeline: {}, cachedTimeline: {} }
  try {
    for (let run = 1; run <= runs; run++) {
      await Promise.all([origin.setMode('up'), cachedOrigin.setMode('up')])
      // A fresh profile set to the loopback world, then the same profile in a browser no DevTools
      // client watches while it works (quiet-chromium.ts).
      const home = await mkdtemp(join(tmpdir(), 'peerback-bench-'))
      const profileDir = join(home, 'profile')
      await (await launchReader(doh, { profileDir })).close()
      const chromium = await launchQuietChromium(profileDir)
      try {
        const url = `http://bench.test:${origin.port}/`
        const tab = await chromium.open(url)
        result.healthy.push(await loadTime(chromium, tab))

        result.bare.push(await bareFetch(chromium, seeder.torrentFile))
        await rememberPointer(chromium, tab, cachedUrl)
        await origin.setMode('down')
        const moments = await failOverIn(chromium, tab, url)
        const failover = Math.round((moments.rendered as number) - (moments.start as number))
        result.failover.push(failover)
        addSteps(result.steps, moments)
        addTimeline(result.timeline, moments)

        await cachedOrigin.setMode('down')
        const cachedMoments = await failOverIn(chromium, tab, cachedUrl)
        result.cached.push(Math.round((cachedMoments.rendered as number) - (cachedMoments.start as number)))
        addSteps(result.cachedSteps, cachedMoments)
        addTimeline(result.cachedTimeline, cachedMoments)

        // Cold: the service worker stopped, as Chrome does after 30 s idle.
        await chromium.stopServiceWorkers(tab)
        const coldMoments = await failOverIn(chromium, tab, `http://cold.test:${origin.port}/`)
        result.cold.push(Math.round((coldMoments.rendered as number) - (coldMoments.start as number)))
        addSteps(result.coldSteps, coldMoments)
        log(`run ${run}/${runs}: healthy ${result.healthy.at(-1)} ms, bare peer fetch ${result.bare.at(-1)} ms, failover ${failover} ms, cached pointer ${result.cached.at(-1)} ms, cold ${result.cold.at(-1)} ms`)
      } finally {
        await chromium.close()
        await rm(home, { recursive: true, force: true })
      }
    }
  } finally {
    await Promise.all([seeder.stop(), coldSeeder.stop(), cachedSeeder.stop()])
    await Promise.all([origin.stop(), cachedOrigin.stop(), doh.stop(), tracker.stop()])
  }
  return result
}

const MOMENTS = `Object.fromEntries(performance.getEntriesByType('mark').filter((mark) => mark.name.startsWith('peerback:'))
  .map((mark) => [mark.name.slice('peerback:'.length), performance.timeOrigin + mark.startTime]))`
/** The viewer page's own loading, from its Navigation Timing: where the tab switch goes. */
const VIEWER_LOADING = `(() => {
  const entry = performance.getEntriesByType('navigation')[0]
  const at = (time) => performance.timeOrigin + time
  return { 'viewer-navigation': performance.timeOrigin, 'viewer-response': at(entry.responseEnd), 'viewer-dom': at(entry.domInteractive) }
})()`

/**
 * Sends a tab to `url` (its origin dead) as a link would, and waits, without watching, until the viewer
 * has rendered the copy; then reads the moments from the browser's own clocks: `start` is the
 * failing navigation's start as the background saw it (webNavigation's time stamp).
 */
async function failOverIn (chromium: QuietChromium, tab: string, url: string, timeoutMs = 30_000): Promise<Partial<Record<string, number>>> {
  await chromium.evaluate(tab, `location.href = ${JSON.stringify(url)}`)
  const until = Date.now() + timeoutMs
  for (;;) {
    if (Date.now() > until) throw new Error(`${url}: the copy was not rendered within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const info = (await chromium.targets()).find((target) => target.targetId === tab)
    if (info?.url.includes('/src/viewer/viewer.html?') !== true) continue
    const viewer = await chromium.evaluate<Partial<Record<Moment, number>>>(tab, MOMENTS)
    if (viewer.rendered === undefined) continue
    const worker = (await chromium.targets()).find((target) => target.type === 'service_worker' && target.url.startsWith('chrome-extension://'))
    if (worker === undefined) throw new Error('no extension service worker after the failover')
    const moments = { ...await chromium.evaluate<Partial<Record<Moment, number>>>(worker.targetId, MOMENTS), ...viewer, ...await chromium.evaluate<Record<string, number>>(tab, VIEWER_LOADING) }
    if (moments['navigation-start'] === undefined) throw new Error('the failover left no navigation-start moment')
    return { start: moments['navigation-start'], ...moments }
  }
}

/**
 * A stock client (the extension's own WebTorrent bundle, default options but for no STUN servers)
 * in an extension page that is already open, as the viewer is: add → the document's bytes. An
 * extension page gathers loopback ICE candidates as the viewer does (a web page would need the
 * microphone permission, and takes a slower path without it). The client is destroyed after, so
 * it is not a peer of the failover that follows.
 */
async function bareFetch (chromium: QuietChromium, torrentFile: Uint8Array): Promise<number> {
  const worker = (await chromium.targets()).find((target) => target.type === 'service_worker' && target.url.startsWith('chrome-extension://'))
  if (worker === undefined) throw new Error('no extension service worker for the bare fetch')
  const page = await chromium.open(new URL('/src/popup/popup.html', worker.url).href)
  const until = Date.now() + 15_000
  while (!await chromium.evaluate<boolean>(page, `location.protocol === 'chrome-extension:' && document.readyState === 'complete'`).catch(() => false)) {
    if (Date.now() > until) throw new Error('the bare fetch\'s page did not load within 15 s')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const elapsed = await chromium.evaluate<number>(page, `(async () => {
    const { default: WebTorrent } = await import(new URL('/vendor/webtorrent.min.js', location.href).href)
    const client = new WebTorrent({ tracker: { rtcConfig: { iceServers: [] } } })
    try {
      return await new Promise((resolve, reject) => {
        client.on('error', reject)
        setTimeout(() => { reject(new Error('the bare fetch got no document within 30 s')) }, 30000)
        const started = performance.now()
        const torrent = client.add(new Uint8Array(${JSON.stringify([...torrentFile])}))
        torrent.once('ready', () => {
          const file = torrent.files.find((file) => file.name === 'index.html')
          file.arrayBuffer().then(() => { resolve(Math.round(performance.now() - started)) }, reject)
        })
      })
    } finally { client.destroy() }
  })()`)
  await chromium.closeTarget(page)
  return elapsed
}

/**
 * A healthy visit to `url`, whose `X-Torrent` the extension remembers with the .torrent it names;
 * waits until that file is in the pointer cache.
 */
async function rememberPointer (chromium: QuietChromium, tab: string, url: string): Promise<void> {
  await chromium.evaluate(tab, `location.href = ${JSON.stringify(url)}`)
  const worker = (await chromium.targets()).find((target) => target.type === 'service_worker' && target.url.startsWith('chrome-extension://'))
  if (worker === undefined) throw new Error('no extension service worker to remember the pointer')
  const key = JSON.stringify(`torrent-file:${url}copy.torrent`)
  for (const until = Date.now() + 15_000; !await chromium.evaluate<boolean>(worker.targetId, `chrome.storage.local.get(${key}).then((found) => ${key} in found)`);) {
    if (Date.now() > until) throw new Error(`${url}: its .torrent was not remembered within 15 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Navigation start → end of the load event, from the tab's Navigation Timing. */
async function loadTime (chromium: QuietChromium, tab: string): Promise<number> {
  const until = Date.now() + 15_000
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    const loaded = await chromium.evaluate<number>(tab, `(() => {
      const entry = performance.getEntriesByType('navigation')[0]
      return entry === undefined || entry.loadEventEnd === 0 ? 0 : Math.round(entry.loadEventEnd - entry.startTime)
    })()`)
    if (loaded > 0) return loaded
    if (Date.now() > until) throw new Error('the healthy page did not load within 15 s')
  }
}

/** Each moment's time since the navigation started. */
function addTimeline (timeline: Record<string, number[]>, moments: Partial<Record<string, number>>): void {
  for (const [moment, at] of Object.entries(moments)) (timeline[moment] ??= []).push(Math.round((at as number) - (moments.start as number)))
}

function addSteps (steps: Record<string, number[]>, moments: Partial<Record<string, number>>): void {
  for (const [name, from, to] of STEPS) {
    const start = moments[from]
    const end = moments[to]
    if (start === undefined || end === undefined) continue
    ;(steps[name] ??= []).push(Math.max(0, end - start))
  }
}
