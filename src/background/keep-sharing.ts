// Keep sharing pages read (settings.keepSharing; docs/protocol.md, "Readers who keep sharing"):
// which pages are kept, within the reader's budgets, and when the sharing host shares them. The
// index lives in storage.local (it outlives the browser); the pieces live on disk in the host's
// origin (copy/kept-store.ts), which shares them (src/prefetch/sharing.ts). Whenever the browser
// starts the extension, every kept page is shared again from its pieces, without fetching.
import type { FoundPointer } from '../lib/discovery'
import type { SwarmSize } from '../copy/scrape'
import { mayKeep, type KeepRequest, type KeptTorrent, type SharingStatus } from '../lib/kept'
import type { Settings } from '../lib/settings'
import { base64ToBytes } from '../protocol/base64'
import { readTorrentFile } from '../protocol/torrent-file'
import type { Pin } from './pointer-cache'
import type { StorageArea } from './ports'

export interface KeptEntry extends Omit<KeepRequest, 'whileOpen'> {
  site: string
  /** When the reader last read the page (its copy, or the page itself on a healthy visit). */
  readAt: number
  /** The tab whose viewer holds the copy still: the host shares it once that tab closes or leaves it. */
  openIn?: number
}

/** The page outside any tab that shares kept pages (src/prefetch/). */
export interface SharingHost {
  open: () => Promise<void>
  /** Closes it unless a slow page's copy is being fetched there. */
  closeIfIdle: () => Promise<void>
  share: (torrents: KeptTorrent[], settings: Settings, uploadLeft: number, only: boolean) => Promise<void>
  /** Stops sharing these (if the host is open) and deletes their pieces (whether it is or not). */
  unshare: (infoHashes: string[]) => Promise<void>
  /** Fetch a page to keep (the host says so when it is done); 'unknown' when it holds or fetches it already. */
  warm: (page: string, pointer: FoundPointer, mirrors: string[], settings: Settings) => Promise<'fetching' | 'unknown'>
  stats: () => Promise<{ peers: number } | null>
}

export interface KeepDeps {
  local: StorageArea
  host: SharingHost
  settings: () => Promise<Settings>
  /** The torrents the site's own HTTPS response named for a page (pointer-cache.ts). */
  pinOf: (page: string) => Promise<Pin | null>
  /** What a torrent's trackers know of its readers (copy/scrape.ts); null when none can say. */
  swarmSize: (trackers: string[], infoHash: string) => Promise<SwarmSize | null>
  now: () => number
}

/** What became of a page read while its site was healthy (kept-decision in storage.session, for the popup). */
export type PageDecision = 'kept' | 'fetching' | 'enough' | 'unknown'

const INDEX = 'kept-index'
/** A page offered to the host is not offered again within this (its swarm was large enough, or it is being fetched). */
export const OFFER_AGAIN_MS = 10 * 60_000
const UPLOAD = 'kept-upload'
type Index = Record<string, KeptEntry>
interface Upload { day: string, bytes: number }

const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10)

/** The entries to drop so that the rest fit in `budget` bytes: the least recently read first. */
export function overBudget (entries: KeptEntry[], budget: number): KeptEntry[] {
  let total = entries.reduce((sum, entry) => sum + entry.bytes, 0)
  const dropped: KeptEntry[] = []
  for (const entry of [...entries].sort((a, b) => a.readAt - b.readAt)) {
    if (total <= budget) break
    dropped.push(entry)
    total -= entry.bytes
  }
  return dropped
}

export function keepSharing ({ local, host, settings, pinOf, swarmSize, now }: KeepDeps) {
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation, operation)
    queue = next.catch(() => undefined)
    return next
  }
  const offered = new Map<string, number>()
  /** Tabs whose viewer holds a copy kept while it is open (this instance's; a restart shares them all). */
  const pendingTabs = new Set<number>()
  /** Copies a viewer writes to disk that were not kept (too large, or not the site's): deleted when its tab leaves them. */
  const refused = new Map<number, string[]>()
  const readIndex = async (): Promise<Index> => ((await local.get([INDEX]))[INDEX] as Index | undefined) ?? {}
  const readUpload = async (): Promise<Upload> => {
    const stored = (await local.get([UPLOAD]))[UPLOAD] as Upload | undefined
    return stored?.day === dayOf(now()) ? stored : { day: dayOf(now()), bytes: 0 }
  }
  const uploadLeft = async (current: Settings): Promise<number> =>
    current.keepUploadBytesPerDay === 0 ? Number.MAX_SAFE_INTEGER : current.keepUploadBytesPerDay - (await readUpload()).bytes
  const torrentOf = ({ infoHash, page, torrentFile }: KeptEntry): KeptTorrent => ({ infoHash, page, torrentFile })

  /**
   * Stops sharing entries and deletes their pieces; a copy a viewer still writes is left to it (the
   * host deletes what no entry names when the browser next starts).
   */
  const unshare = async (entries: KeptEntry[]): Promise<void> => {
    const shared = entries.filter((entry) => entry.openIn === undefined).map((entry) => entry.infoHash)
    if (shared.length > 0) await host.unshare(shared)
  }

  /** Drops entries (their pieces too) and closes the host when nothing is left to share. */
  async function drop (index: Index, dropped: KeptEntry[]): Promise<void> {
    if (dropped.length === 0) return
    for (const entry of dropped) Reflect.deleteProperty(index, entry.infoHash)
    await local.set({ [INDEX]: index })
    await unshare(dropped)
    if (Object.keys(index).length === 0) await host.closeIfIdle()
  }

  return {
    /** A copy all here and checked (a viewer's, or one the host fetched to keep): keep it, within the budgets. */
    keep: async ({ whileOpen, ...request }: KeepRequest, tabId?: number): Promise<boolean> => await serial(async () => {
      const current = await settings()
      // The site's own HTTPS answer named other torrents for this page: this one is not the site's.
      const pin = await pinOf(request.page)
      if (!mayKeep(request.page, current) || request.bytes > current.keepDiskBytes || (pin !== null && !pin.infoHashes.includes(request.infoHash))) {
        // A viewer writes its pieces to disk as they come: they go once its tab leaves the copy.
        if (whileOpen === true && tabId !== undefined) {
          refused.set(tabId, [...refused.get(tabId) ?? [], request.infoHash])
          pendingTabs.add(tabId)
        }
        return false
      }
      const index = await readIndex()
      // A page kept under an older torrent was republished: its old version goes.
      const replaced = Object.values(index).filter((entry) => entry.page === request.page && entry.infoHash !== request.infoHash)
      for (const entry of replaced) Reflect.deleteProperty(index, entry.infoHash)
      const openIn = whileOpen === true ? tabId : undefined
      index[request.infoHash] = { ...request, site: new URL(request.page).hostname, readAt: now(), ...(openIn !== undefined && { openIn }) }
      const evicted = overBudget(Object.values(index), current.keepDiskBytes)
      for (const entry of evicted) Reflect.deleteProperty(index, entry.infoHash)
      await local.set({ [INDEX]: index })
      if (openIn !== undefined) pendingTabs.add(openIn)
      else {
        await host.open()
        await host.share([torrentOf(index[request.infoHash] as KeptEntry)], current, await uploadLeft(current), false)
      }
      await unshare([...replaced, ...evicted])
      return true
    }),

    /**
     * A healthy page whose pointers are known: a kept page read again counts as read now; one whose
     * torrent changed (republished) drops its old version; with the setting on, a page not kept is
     * fetched to keep by the host when a scrape of its trackers shows fewer than
     * `keepWarmBelowSeeders` readers holding or fetching it (so the site serves about that many
     * copies of a page version, however many readers it has). Says what became of it.
     */
    readHealthy: async (page: string, infoHash: string, pointer: FoundPointer, mirrors: string[]): Promise<PageDecision | null> => await serial(async () => {
      const current = await settings()
      if (!mayKeep(page, current)) return null
      const index = await readIndex()
      const entries = Object.values(index).filter((entry) => entry.page === page)
      const same = entries.find((entry) => entry.infoHash === infoHash)
      if (same !== undefined) {
        same.readAt = now()
        await local.set({ [INDEX]: index })
        return 'kept'
      }
      if (entries.length > 0) {
        for (const entry of entries) Reflect.deleteProperty(index, entry.infoHash)
        await local.set({ [INDEX]: index })
        await unshare(entries)
      }
      // A swarm found large enough is not asked about again for a while.
      if ((offered.get(infoHash) ?? -Infinity) > now() - OFFER_AGAIN_MS) return null
      offered.set(infoHash, now())
      // Asked from here, so that the host opens only when there is something to fetch.
      const target = await scrapeTarget(pointer, current.maxCopyBytes)
      // A copy larger than the whole disk budget would be fetched only to be refused.
      if (target === null || (target.length !== null && target.length > current.keepDiskBytes)) return 'unknown'
      const size = await swarmSize([...target.trackers, ...current.extraTrackers], target.infoHash)
      if (size === null) return 'unknown'
      if (size.complete + size.incomplete >= current.keepWarmBelowSeeders) return 'enough'
      await host.open()
      const outcome = await host.warm(page, pointer, mirrors, current)
      if (outcome !== 'fetching' && Object.keys(index).length === 0) await host.closeIfIdle()
      return outcome
    }),

    /** A tab closed, or went on from its copy: a copy kept while it was open is shared from now on. */
    tabLeft: async (tabId: number): Promise<void> => {
      // Every navigation and closed tab ends here: only a tab known to hold a kept copy costs a read.
      if (!pendingTabs.delete(tabId)) return
      await serial(async () => {
        const current = await settings()
        const index = await readIndex()
        const leftovers = (refused.get(tabId) ?? []).filter((infoHash) => index[infoHash] === undefined)
        refused.delete(tabId)
        if (leftovers.length > 0) await host.unshare(leftovers)
        const left = Object.values(index).filter((entry) => entry.openIn === tabId)
        if (left.length === 0) return
        for (const entry of left) Reflect.deleteProperty(entry, 'openIn')
        await local.set({ [INDEX]: index })
        if (!current.keepSharing || current.paused) return
        await host.open()
        await host.share(left.map(torrentOf), current, await uploadLeft(current), false)
      })
    },

    /** The host fetched nothing to keep after all: closed if it holds nothing else. */
    idle: async (): Promise<void> => await serial(async () => {
      if (Object.keys(await readIndex()).length === 0) await host.closeIfIdle()
    }),

    /** The browser started the extension (or it was installed or updated): share every kept page again. */
    start: async (): Promise<number> => await serial(async () => {
      const current = await settings()
      const index = await readIndex()
      const entries = Object.values(index)
      // The browser started: no tab holds a copy any more.
      if (entries.some((entry) => entry.openIn !== undefined)) {
        for (const entry of entries) Reflect.deleteProperty(entry, 'openIn')
        await local.set({ [INDEX]: index })
      }
      if (!current.keepSharing || current.paused || entries.length === 0) return 0
      await host.open()
      await host.share(entries.map(torrentOf), current, await uploadLeft(current), true)
      return entries.length
    }),

    /** The settings changed: off (or a site no longer listed) drops what it no longer allows; paused closes the host, resumed opens it. */
    settingsChanged: async (current: Settings): Promise<void> => await serial(async () => {
      const index = await readIndex()
      const entries = Object.values(index)
      if (entries.length === 0) return
      await drop(index, entries.filter((entry) => current.keepSharing && !mayKeep(entry.page, { ...current, paused: false })))
      if (!current.keepSharing) {
        await drop(index, Object.values(index))
        return
      }
      if (current.paused) {
        await host.closeIfIdle()
        return
      }
      const kept = Object.values(index).filter((entry) => entry.openIn === undefined)
      if (kept.length === 0) return
      await host.open()
      await host.share(kept.map(torrentOf), current, await uploadLeft(current), false)
    }),

    /** "Stop sharing all": every kept page stops and is deleted. */
    stopAll: async (): Promise<boolean> => await serial(async () => {
      const index = await readIndex()
      await drop(index, Object.values(index))
      return true
    }),

    /** The host uploaded `bytes` more; what it may still upload today. */
    uploaded: async (bytes: number): Promise<{ left: number }> => await serial(async () => {
      const upload = await readUpload()
      const total = { ...upload, bytes: upload.bytes + Math.max(0, bytes) }
      await local.set({ [UPLOAD]: total })
      return { left: await uploadLeft(await settings()) }
    }),

    /** Whether the host has kept pages to share: it stays open for them. */
    holdsHost: async (): Promise<boolean> => {
      const current = await settings()
      return current.keepSharing && !current.paused && Object.keys(await readIndex()).length > 0
    },

    /** Whether this page is kept now. */
    isKept: async (page: string): Promise<boolean> => Object.values(await readIndex()).some((entry) => entry.page === page),

    status: async (): Promise<SharingStatus> => {
      const current = await settings()
      const entries = Object.values(await readIndex())
      const stats = entries.length === 0 || current.paused ? null : await host.stats()
      return {
        on: current.keepSharing,
        pages: entries.length,
        sites: [...new Set(entries.map((entry) => entry.site))].sort(),
        bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
        uploadedToday: (await readUpload()).bytes,
        peers: stats?.peers ?? null
      }
    }
  }
}

/** What a scrape of a page's torrent needs, and the copy's size when its torrent file is here (a magnet's is not). */
async function scrapeTarget (pointer: FoundPointer, maxCopyBytes: number): Promise<{ infoHash: string, trackers: string[], length: number | null } | null> {
  if (pointer.kind === 'magnet') return { infoHash: pointer.magnet.infoHash, trackers: pointer.magnet.trackers, length: null }
  if (pointer.kind !== 'file') return null
  const bytes = base64ToBytes(pointer.base64)
  const read = bytes === null ? null : await readTorrentFile(bytes, { maxTotalBytes: maxCopyBytes })
  return read?.ok === true ? { infoHash: read.value.infoHash, trackers: read.value.trackers, length: read.value.length } : null
}
