// Benchmark 8: a swarm that outlives the tabs (issue 22). Five readers with "Keep sharing pages
// I've read" on read ten pages of a site while it is healthy, one after another; the browsers
// restart; the site and its seeders go down. A new reader then opens every page: how many come
// back, and how fast against the same failover from a reader whose copy's tab is still open (the
// live-tab case, today's sharing); and how many copies of each page the site's seeders served to
// the warming, against K (keepWarmBelowSeeders, 3).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { encodeTorrentRecords } from '../src/protocol/txt-records.ts'
import { DEFAULT_SETTINGS } from '../src/lib/settings.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type ChromiumWithExtension, type Seeder } from '../test/world/index.ts'
import { failOverTo, launchReader, sha1 } from './world.ts'

export interface KeptRuns {
  pages: number
  /** Pages each reader kept, in the order they read. */
  keptBy: number[]
  /** Copies of each page the site's seeders uploaded while the readers warmed (uploaded ÷ size). */
  originCopies: number[]
  /** Failover times (navigation → copy rendered), ms: from the restarted keepers, and from a live tab. */
  fromKept: number[]
  fromLive: number[]
  recovered: number
}

const READERS = 5
export const K = DEFAULT_SETTINGS.keepWarmBelowSeeders
const HOST = 'kept.bench.test'

const ask = async <T>(chromium: ChromiumWithExtension, name: string, request: object): Promise<T> => {
  const page = chromium.context.pages().find((each) => each.url().startsWith(chromium.extensionOrigin)) ?? await openExtensionPage(chromium)
  return await page.evaluate(async ([name, request]) => await chrome.runtime.sendMessage({ to: 'background', name, request }), [name, request] as const)
}

async function openExtensionPage (chromium: ChromiumWithExtension): Promise<Page> {
  const page = await chromium.context.newPage()
  await page.goto(`${chromium.extensionOrigin}/src/options/options.html`)
  return page
}

async function until (what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !await check();) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Fails a tab over to `url`: ms from the navigation to the copy rendered. */
async function timedFailover (chromium: ChromiumWithExtension, url: string): Promise<number> {
  const tab = await chromium.context.newPage()
  const started = Date.now()
  await failOverTo(tab, url, 60_000)
  await tab.waitForFunction(() => performance.getEntriesByName('peerback:rendered').length > 0, undefined, { timeout: 30_000 })
  const rendered = await tab.evaluate(() => performance.timeOrigin + (performance.getEntriesByName('peerback:rendered')[0]?.startTime ?? 0))
  return Math.round(rendered - started)
}

export async function keptBenchmark (pages: number, log: (line: string) => void = () => {}): Promise<KeptRuns> {
  const result: KeptRuns = { pages, keptBy: [], originCopies: [], fromKept: [], fromLive: [], recovered: 0 }
  const home = await mkdtemp(join(tmpdir(), 'peerback-bench-kept-'))
  const tracker = await startTracker()
  const doh = await startDoh()
  const seeders: Seeder[] = []
  const browsers = new Set<ChromiumWithExtension>()
  const launch = async (settings: Record<string, unknown>, profileDir?: string): Promise<ChromiumWithExtension> => {
    const chromium = await launchReader(doh, { settings, ...(profileDir !== undefined && { profileDir }) })
    browsers.add(chromium)
    return chromium
  }
  const close = async (chromium: ChromiumWithExtension): Promise<void> => {
    browsers.delete(chromium)
    await chromium.close()
  }
  const paths = Array.from({ length: pages }, (_, index) => `/page-${index}.html`)
  for (const path of paths) {
    const file = join(home, path.slice(1))
    await writeFile(file, `<!doctype html><title>${path}</title><h1>${path}</h1><p>${'A page its readers keep. '.repeat(4000)}</p>`)
    seeders.push(await startSeeder({ input: [file], announce: [tracker.wsUrl] }))
  }
  const origin = await startOrigin({ root: home })
  try {
    for (const [index, seeder] of seeders.entries()) {
      const path = paths[index] as string
      origin.setPathHeaders(path, { 'X-Torrent': seeder.magnetURI })
      const records = encodeTorrentRecords(seeder.torrentFile)
      if (!records.ok) throw records.error
      doh.setTxt(`${sha1(path)}._torrent.${HOST}`, records.value)
    }
    const url = (path: string): string => `http://${HOST}:${origin.port}${path}`

    // Five readers, one after another, each browser open (and sharing) while the next one reads.
    const profiles = await Promise.all(Array.from({ length: READERS }, async (_, index) => await mkdtemp(join(home, `reader-${index}-`))))
    let keepers: ChromiumWithExtension[] = []
    for (const profileDir of profiles) {
      const reader = await launch({ keepSharing: true }, profileDir)
      keepers.push(reader)
      for (const path of paths) {
        const tab = await reader.context.newPage()
        await tab.goto(url(path))
        await tab.close()
        await until(`${path} decided`, async () => /^(kept|enough|unknown)$/.test(String((await ask<{ page?: string }>(reader, 'sharing', { page: url(path) })).page)))
      }
      result.keptBy.push((await ask<{ pages: number }>(reader, 'sharing', {})).pages)
      log(`reader ${keepers.length}: kept ${result.keptBy.at(-1)} of ${pages} pages`)
    }
    result.originCopies = seeders.map((seeder) => seeder.torrent.uploaded / seeder.torrent.length)

    // The browsers restart; the site and its seeders go down.
    for (const keeper of keepers) await close(keeper)
    await origin.setMode('down')
    await Promise.all(seeders.map(async (seeder) => { await seeder.stop() }))
    seeders.length = 0
    keepers = []
    for (const profileDir of profiles) keepers.push(await launch({}, profileDir))
    for (const [index, keeper] of keepers.entries()) {
      if ((result.keptBy[index] ?? 0) === 0) continue
      await until('the kept pages shared again', async () => (await ask<{ peers: number | null }>(keeper, 'sharing', {})).peers !== null)
    }

    // A new reader opens every page, from the keepers only.
    const newcomer = await launch({})
    for (const path of paths) {
      try {
        result.fromKept.push(await timedFailover(newcomer, url(path)))
        result.recovered++
      } catch (error) {
        log(`${path}: not recovered (${String(error)})`)
      }
    }
    await close(newcomer)

    // The live-tab case: a reader whose copies' tabs stay open; then the keepers close.
    const live = await launch({})
    for (const path of paths) await failOverTo(await live.context.newPage(), url(path), 60_000)
    for (const keeper of keepers) await close(keeper)
    const second = await launch({})
    for (const path of paths) result.fromLive.push(await timedFailover(second, url(path)))
    log(`recovered ${result.recovered}/${pages}; failover from kept copies ${result.fromKept.join(', ')} ms; from live tabs ${result.fromLive.join(', ')} ms`)
  } finally {
    for (const chromium of browsers) await chromium.close()
    await Promise.all(seeders.map(async (seeder) => { await seeder.stop() }))
    await Promise.all([origin.stop(), doh.stop(), tracker.stop()])
    await rm(home, { recursive: true, force: true })
  }
  return result
}
