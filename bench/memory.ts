// Benchmark 5: memory, as proportional set size (PSS, Linux /proc/<pid>/smaps_rollup): a shared page
// counts for a fraction in each process that maps it, so the sums add up. Chromium idle with the
// extension vs without; the extension's own processes while a viewer seeds a 5 MB page; and the
// whole browser once 20 copies were open at once and closed again (nothing of them left behind);
// and a reader who keeps sharing pages read, with nothing kept and then sharing one from disk.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumFamily } from './processes.ts'
import { launchPlainChromium, startDoh, startTracker, type ChromiumWithExtension } from '../test/world/index.ts'
import { encodeTorrentRecords } from '../src/protocol/txt-records.ts'
import { closedPort, failOverTo, launchReader, pageOfSize, publishCopy, sha1 } from './world.ts'

export interface MemoryRuns {
  idleWith: number[]
  idleWithStopped: number[]
  idleWithout: number[]
  extensionIdle: number[]
  extensionSeeding: number[]
  afterMany: number[]
  afterManyExtension: number[]
  /** Beside it, at the same time, the same reader with the setting off (worker stopped). */
  keepingOff: number[]
  /** "Keep sharing pages I've read" on, nothing kept yet (worker stopped): no host is open. */
  keepingNothing: number[]
  /** The same browser once the 5 MB copy's tab closed and the host shares it (worker stopped). */
  keepingAfterTab: number[]
  /** The same profile after a restart, the host sharing the copy from disk (worker stopped). */
  keepingOne: number[]
}

/** How many copies open at once before they all close. */
export const MANY_TABS = 20

const MiB = 1024 * 1024
const settle = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

interface ProcessMemory { extension: boolean, pss: number }

/** The browser process started with this profile and all its descendants (zygotes, renderers, GPU…). */
async function chromiumProcesses (profileDir: string): Promise<ProcessMemory[]> {
  return await Promise.all((await chromiumFamily(profileDir)).map(async ({ pid, cmdline }) => {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '')
    return { extension: cmdline.includes('--extension-process'), pss: Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024 }
  }))
}

export async function memoryBenchmark (trials: number, log: (line: string) => void = () => {}): Promise<MemoryRuns> {
  const result: MemoryRuns = { idleWith: [], idleWithStopped: [], idleWithout: [], extensionIdle: [], extensionSeeding: [], afterMany: [], afterManyExtension: [], keepingOff: [], keepingNothing: [], keepingAfterTab: [], keepingOne: [] }
  const tracker = await startTracker()
  const doh = await startDoh()
  const seeder = await publishCopy(await pageOfSize(5 * MiB, 'Memory'), tracker, doh, 'memory.test', '/')
  // A 100 KB page published under MANY_TABS host names, one per tab.
  const small = await publishCopy(await pageOfSize(100 * 1024, 'Many'), tracker, doh, 'many-0.memory.test', '/')
  const records = encodeTorrentRecords(small.torrentFile)
  if (!records.ok) throw records.error
  for (let index = 1; index < MANY_TABS; index++) doh.setTxt(`${sha1('/')}._torrent.many-${index}.memory.test`, records.value)
  try {
    for (let trial = 1; trial <= trials; trial++) {
      const plain = await launchPlainChromium()
      const reader = await launchReader(doh)
      try {
        const plainTab = await plain.context.newPage()
        const readerTab = await reader.context.newPage()
        await Promise.all([plainTab.goto('about:blank'), readerTab.goto('about:blank')])
        await settle(3000)
        const plainIdle = await chromiumProcesses(plain.profileDir)
        const readerIdle = await chromiumProcesses(reader.profileDir)
        result.idleWithout.push(sum(plainIdle) / MiB)
        result.idleWith.push(sum(readerIdle) / MiB)
        result.extensionIdle.push(sum(readerIdle.filter((p) => p.extension)) / MiB)
        // Idle as it stays: Chrome stops an extension's worker after 30 s without events.
        const cdp = await reader.context.newCDPSession(readerTab)
        await cdp.send('ServiceWorker.enable')
        await cdp.send('ServiceWorker.stopAllWorkers')
        await cdp.detach()
        await settle(3000)
        result.idleWithStopped.push(sum(await chromiumProcesses(reader.profileDir)) / MiB)

        await failOverTo(readerTab, `http://memory.test:${await closedPort()}/`, 120_000)
        await readerTab.waitForFunction(() => document.getElementById('stats')?.dataset.done === 'true', undefined, { timeout: 120_000 })
        await settle(3000)
        const seeding = await chromiumProcesses(reader.profileDir)
        result.extensionSeeding.push(sum(seeding.filter((p) => p.extension)) / MiB)

        // Many copies at once, then none: the whole browser should be back near idle. (The seeding
        // tab is closed, not navigated away: a viewer in the back/forward cache keeps its process.)
        const blank = await reader.context.newPage()
        await readerTab.close()
        const port = await closedPort()
        const tabs = await Promise.all(Array.from({ length: MANY_TABS }, async () => await reader.context.newPage()))
        await Promise.all(tabs.map(async (tab, index) => { await failOverTo(tab, `http://many-${index}.memory.test:${port}/`, 180_000) }))
        await Promise.all(tabs.map(async (tab) => { await tab.close() }))
        // The closed tabs' events (tabs.onRemoved) wake the worker: let them pass first.
        await settle(5000)
        // Then idle as it stays, as in 5a: the worker stopped.
        const stopper = await reader.context.newCDPSession(blank)
        await stopper.send('ServiceWorker.enable')
        await stopper.send('ServiceWorker.stopAllWorkers')
        await stopper.detach()
        await settle(3000)
        const after = await chromiumProcesses(reader.profileDir)
        result.afterMany.push(sum(after) / MiB)
        result.afterManyExtension.push(sum(after.filter((p) => p.extension)) / MiB)
        log(`trial ${trial}/${trials}: idle ${result.idleWith.at(-1)?.toFixed(0)} MiB with (${result.idleWithStopped.at(-1)?.toFixed(0)} MiB once the worker stops), ${result.idleWithout.at(-1)?.toFixed(0)} MiB without; extension processes ${result.extensionIdle.at(-1)?.toFixed(0)} MiB idle, ${result.extensionSeeding.at(-1)?.toFixed(0)} MiB seeding; ${result.afterMany.at(-1)?.toFixed(0)} MiB after ${MANY_TABS} copies closed (extension process ${result.afterManyExtension.at(-1)?.toFixed(0)} MiB)`)
      } finally {
        await reader.close()
        await plain.close()
      }
      await keepingArm(result, doh, log)
    }
  } finally {
    await Promise.all([seeder.stop(), small.stop()])
    await Promise.all([doh.stop(), tracker.stop()])
  }
  return result
}

/** Stops the extension's worker, as Chrome does after 30 s without events. */
async function stopWorker (context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  await cdp.detach()
}

/**
 * A reader with "Keep sharing pages I've read" on: the whole browser idle with nothing kept (beside
 * the same reader with the setting off, at the same time: PSS splits the pages two browsers share);
 * once the 5 MB copy it opened is kept and shared after its tab closed (the viewer's process lives
 * on as the host's, with what the viewer left in it); and after the browser restarts, sharing the
 * copy from disk (issue 22: at most +40 MiB; nothing while nothing is shared).
 */
async function keepingArm (result: MemoryRuns, doh: Awaited<ReturnType<typeof startDoh>>, log: (line: string) => void): Promise<void> {
  const profileDir = await mkdtemp(join(tmpdir(), 'peerback-bench-keeper-'))
  const off = await launchReader(doh)
  let keeper = await launchReader(doh, { profileDir, settings: { keepSharing: true } })
  const measure = async (chromium: ChromiumWithExtension): Promise<number> => {
    const blank = chromium.context.pages().find((page) => page.url() === 'about:blank') ?? await chromium.context.newPage()
    await stopWorker(chromium.context, blank)
    await settle(3000)
    return sum(await chromiumProcesses(chromium.profileDir)) / MiB
  }
  try {
    await Promise.all([off, keeper].map(async (chromium) => { await (await chromium.context.newPage()).goto('about:blank') }))
    result.keepingOff.push(await measure(off))
    result.keepingNothing.push(await measure(keeper))
    const tab = await keeper.context.newPage()
    await failOverTo(tab, `http://memory.test:${await closedPort()}/`, 120_000)
    await tab.waitForFunction(() => document.getElementById('stats')?.dataset.done === 'true', undefined, { timeout: 120_000 })
    await tab.close()
    await sharedOne(keeper)
    result.keepingAfterTab.push(await measure(keeper))
    await keeper.close()
    keeper = await launchReader(doh, { profileDir, settings: { keepSharing: true } })
    await sharedOne(keeper)
    result.keepingOne.push(await measure(keeper))
    log(`keeping: ${result.keepingOff.at(-1)?.toFixed(0)} MiB with the setting off, ${result.keepingNothing.at(-1)?.toFixed(0)} MiB on with nothing kept, ${result.keepingAfterTab.at(-1)?.toFixed(0)} MiB once the copy's tab closed, ${result.keepingOne.at(-1)?.toFixed(0)} MiB sharing it from disk after a restart`)
  } finally {
    await Promise.all([keeper.close(), off.close()])
    await rm(profileDir, { recursive: true, force: true })
  }
}

/** Waits until the reader's host shares its one kept page, then lets things settle. */
async function sharedOne (chromium: ChromiumWithExtension): Promise<void> {
  const asker = await chromium.context.newPage()
  await asker.goto(`${chromium.extensionOrigin}/src/options/options.html`)
  for (const until = Date.now() + 60_000; ;) {
    const status: { pages: number, peers: number | null } = await asker.evaluate(async () => await chrome.runtime.sendMessage({ to: 'background', name: 'sharing', request: {} }))
    if (status.pages === 1 && status.peers !== null) break
    if (Date.now() > until) throw new Error('the kept copy was not shared within 60 s')
    await settle(200)
  }
  await asker.close()
  await settle(5000)
}

const sum = (processes: Array<{ pss: number }>): number => processes.reduce((total, process) => total + process.pss, 0)
