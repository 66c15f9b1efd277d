// What healthy responses said about where copies of a page are, kept in storage.local so a later
// failure (after a worker restart or a browser restart) needs nothing from the origin. Small
// .torrent files are kept too. Bounded: the least recently used entries go first.
import type { Digests } from '../protocol/digests'
import type { TorrentPointer } from '../protocol/pointer-headers'

export interface CachedPointers {
  url: string
  torrents: TorrentPointer[]
  mirrors: string[]
  digests: Digests
  /** Seen on an HTTPS response; pointers from plain HTTP are shown as unauthenticated. */
  secure: boolean
  seenAt: number
}

export interface CachedTorrentFile {
  /** Where it was fetched from: the torrent URL of a pointer. */
  url: string
  base64: string
  infoHash: string
  fetchedAt: number
}

/** What a pre-warm lookup found in DNS for a page (DESIGN.md §1: only when the user opted in). */
export interface PrewarmedDns<T> {
  url: string
  found: T | null
  at: number
}

/** The part of a storage area the cache needs (browser.storage.local has it). */
export interface StorageArea {
  get: (keys: string[]) => Promise<Record<string, unknown>>
  set: (items: Record<string, unknown>) => Promise<void>
  remove: (keys: string[]) => Promise<void>
}

export interface CacheLimits {
  maxEntries: number
  maxBytes: number
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 2000, maxBytes: 4 * 1024 * 1024 }

type Index = Record<string, { used: number, size: number }>
const INDEX = 'pointer-index'
const pageKey = (url: string): string => `pointer:${url}`
const siteKey = (origin: string): string => `pointer-site:${origin}`
const fileKey = (url: string): string => `torrent-file:${url}`
const dnsKey = (url: string): string => `prewarmed-dns:${url}`

export interface PointerCache {
  remember: (entry: CachedPointers) => Promise<void>
  /** The entry for this page, and the latest entry seen on its site (when it is another page). */
  lookup: (url: string) => Promise<{ page: CachedPointers | null, site: CachedPointers | null }>
  rememberTorrentFile: (file: CachedTorrentFile) => Promise<void>
  torrentFile: (url: string) => Promise<CachedTorrentFile | null>
  rememberDns: <T>(answer: PrewarmedDns<T>) => Promise<void>
  prewarmedDns: <T>(url: string) => Promise<PrewarmedDns<T> | null>
}

export function pointerCache (storage: StorageArea, limits = DEFAULT_CACHE_LIMITS, now = Date.now): PointerCache {
  // One operation at a time: listeners fire concurrently, and the index is read-modify-write.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation, operation)
    queue = next.catch(() => undefined)
    return next
  }

  const readIndex = async (): Promise<Index> => ((await storage.get([INDEX]))[INDEX] as Index | undefined) ?? {}

  async function put (items: Record<string, unknown>): Promise<void> {
    const index = await readIndex()
    for (const [key, value] of Object.entries(items)) index[key] = { used: now(), size: JSON.stringify(value).length }
    const evicted = evict(index)
    await storage.set({ ...items, [INDEX]: index })
    if (evicted.length > 0) await storage.remove(evicted)
  }

  function evict (index: Index): string[] {
    const keys = Object.keys(index).sort((a, b) => (index[a]?.used ?? 0) - (index[b]?.used ?? 0))
    let total = keys.reduce((sum, key) => sum + (index[key]?.size ?? 0), 0)
    const evicted: string[] = []
    while (keys.length > 0 && (keys.length > limits.maxEntries || total > limits.maxBytes)) {
      const key = keys.shift() as string
      total -= index[key]?.size ?? 0
      delete index[key]
      evicted.push(key)
    }
    return evicted
  }

  async function read<T> (key: string): Promise<T | null> {
    const value = (await storage.get([key]))[key] as T | undefined
    if (value !== undefined) await touch([key])
    return value ?? null
  }

  async function touch (keys: string[]): Promise<void> {
    const index = await readIndex()
    const present = keys.filter((key) => index[key] !== undefined)
    if (present.length === 0) return
    for (const key of present) (index[key] as { used: number }).used = now()
    await storage.set({ [INDEX]: index })
  }

  return {
    remember: async (entry) => await serial(async () => {
      await put({ [pageKey(entry.url)]: entry, [siteKey(new URL(entry.url).origin)]: entry.url })
    }),

    lookup: async (url) => await serial(async () => {
      const site = siteKey(new URL(url).origin)
      const found = await storage.get([pageKey(url), site])
      const siteUrl = found[site] as string | undefined
      const siteEntry = siteUrl !== undefined && siteUrl !== url
        ? (await storage.get([pageKey(siteUrl)]))[pageKey(siteUrl)] as CachedPointers | undefined
        : undefined
      const page = (found[pageKey(url)] as CachedPointers | undefined) ?? null
      await touch([page !== null ? pageKey(url) : '', siteEntry !== undefined && siteUrl !== undefined ? pageKey(siteUrl) : ''])
      return { page, site: siteEntry ?? null }
    }),

    rememberTorrentFile: async (file) => await serial(async () => { await put({ [fileKey(file.url)]: file }) }),

    torrentFile: async (url) => await serial(async () => await read<CachedTorrentFile>(fileKey(url))),

    rememberDns: async (answer) => await serial(async () => { await put({ [dnsKey(answer.url)]: answer }) }),

    prewarmedDns: async <T>(url: string) => await serial(async () => await read<PrewarmedDns<T>>(dnsKey(url)))
  }
}
