// What healthy responses said about where copies of a page are, kept in storage.local so a later
// failure (after a worker restart or a browser restart) needs nothing from the origin. Small
// .torrent files are kept too. Bounded: the least recently used entries go first, and one site
// may hold only a share of the whole, so no site can flood out another's pointers and pins.
import type { CachedPointers } from '../lib/discovery'
import type { StorageArea } from './ports'
import type { TorrentPointer } from '../protocol/pointer-headers'

export interface CachedTorrentFile {
  /** Where it was fetched from: the torrent URL of a pointer. */
  url: string
  base64: string
  infoHash: string
  fetchedAt: number
}

/** What a pre-warm lookup found in DNS for a page (docs/protocol.md §5: only when the user opted in). */
export interface PrewarmedDns<T> {
  url: string
  found: T | null
  at: number
}

/**
 * The torrents an HTTPS response named for a page (docs/protocol.md, Pinning): a later DNS answer
 * naming another one is not believed silently. Kept apart from the pointers, in an index of their
 * own, so a pin outlives its (much larger) pointer entry.
 */
export interface Pin {
  url: string
  infoHashes: string[]
  seenAt: number
}

/** The part of a storage area the cache needs (browser.storage.local has it). */
export interface CacheLimits {
  maxEntries: number
  maxBytes: number
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 2000, maxBytes: 4 * 1024 * 1024 }
/** Least recently used, to this precision: an entry read again within it is not marked again. */
export const TOUCH_MS = 60_000
/** Pins are some 120 bytes each. */
export const PIN_LIMITS: CacheLimits = { maxEntries: 10_000, maxBytes: 2 * 1024 * 1024 }
/** The most of either cap one site may take; past it, that site's own oldest entries go. */
export const SITE_SHARE = 0.1
/** A page (or torrent) URL longer than this is not remembered: real ones are far shorter. */
export const MAX_URL_LENGTH = 2048

type Index = Record<string, { used: number, size: number }>
const INDEX = 'pointer-index'
const PIN_INDEX = 'pin-index'
const pinKey = (url: string): string => `pin:${url}`
const pageKey = (url: string): string => `pointer:${url}`
const siteKey = (origin: string): string => `pointer-site:${origin}`
const fileKey = (url: string): string => `torrent-file:${url}`
const dnsKey = (url: string): string => `prewarmed-dns:${url}`

export interface Recalled {
  page: CachedPointers | null
  site: CachedPointers | null
  prewarmed: PrewarmedDns<unknown> | null
  pin: Pin | null
}

export interface PointerCache {
  remember: (entry: CachedPointers) => Promise<void>
  /** The entry for this page, and the latest entry seen on its site (when it is another page). */
  lookup: (url: string) => Promise<{ page: CachedPointers | null, site: CachedPointers | null }>
  /** All a failing page's lookup may need, in one read: lookup's two entries, its pre-warmed DNS answer and its pin. */
  recall: (url: string) => Promise<Recalled>
  rememberTorrentFile: (file: CachedTorrentFile) => Promise<void>
  torrentFile: (url: string) => Promise<CachedTorrentFile | null>
  rememberDns: <T>(answer: PrewarmedDns<T>) => Promise<void>
  prewarmedDns: <T>(url: string) => Promise<PrewarmedDns<T> | null>
  rememberPin: (pin: Pin) => Promise<void>
  /** Forgets every remembered site: pointers, torrent files, pre-warmed answers and pins. What was there, counted. */
  forgetAll: () => Promise<{ pages: number, sites: number, pins: number }>
}

export function pointerCache (storage: StorageArea, limits = DEFAULT_CACHE_LIMITS, now = Date.now, pinLimits = PIN_LIMITS): PointerCache {
  // One operation at a time: listeners fire concurrently, and the index is read-modify-write.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation, operation)
    queue = next.catch(() => undefined)
    return next
  }

  // Read once per background instance, then kept: the background is the cache's only writer, one
  // operation at a time, so the copy in memory is the stored one. A damaged index (a broken
  // profile, an older version) is rebuilt from its sound entries.
  const indexes = new Map<string, Index>()
  const readIndex = async (name = INDEX): Promise<Index> => {
    let index = indexes.get(name)
    if (index === undefined) {
      index = soundIndex((await storage.get([name]))[name])
      indexes.set(name, index)
    }
    return index
  }

  async function put (items: Record<string, unknown>, name = INDEX, caps = limits): Promise<void> {
    const index = await readIndex(name)
    for (const [key, value] of Object.entries(items)) index[key] = { used: now(), size: JSON.stringify(value).length }
    // The sites just written pay for their own growth first; then the least recently used overall.
    const sites = new Set(Object.keys(items).map(siteOfKey))
    const share = { maxEntries: Math.max(8, Math.floor(caps.maxEntries * SITE_SHARE)), maxBytes: Math.max(64 * 1024, Math.floor(caps.maxBytes * SITE_SHARE)) }
    const evicted = [...sites].flatMap((site) => evict(index, share, (key) => siteOfKey(key) === site))
    evicted.push(...evict(index, caps, () => true))
    await storage.set({ ...items, [name]: index })
    if (evicted.length > 0) await storage.remove(evicted)
  }

  /** Removes the least recently used of the entries `counted` picks until they fit `caps`. */
  function evict (index: Index, caps: CacheLimits, counted: (key: string) => boolean): string[] {
    const keys = Object.keys(index).filter(counted).sort((a, b) => (index[a]?.used ?? 0) - (index[b]?.used ?? 0))
    let total = keys.reduce((sum, key) => sum + (index[key]?.size ?? 0), 0)
    const evicted: string[] = []
    while (keys.length > 0 && (keys.length > caps.maxEntries || total > caps.maxBytes)) {
      const key = keys.shift() as string
      total -= index[key]?.size ?? 0
      delete index[key]
      evicted.push(key)
    }
    return evicted
  }

  /** The value at `key` if it has the expected shape; a damaged one is removed and reads as absent. */
  async function read<T> (key: string, sound: (value: unknown) => value is T): Promise<T | null> {
    const value = (await storage.get([key]))[key]
    if (value === undefined) return null
    if (!sound(value)) {
      await forget([key])
      return null
    }
    await touch([key])
    return value
  }

  /** Damaged entries leave storage and the index: they no longer count against the caps. */
  async function forget (keys: string[], name = INDEX): Promise<void> {
    await storage.remove(keys)
    const index = await readIndex(name)
    if (!keys.some((key) => index[key] !== undefined)) return
    for (const key of keys) delete index[key]
    await storage.set({ [name]: index })
  }

  /** Marks entries used; an entry used within TOUCH_MS keeps its mark (no write for every page that reads it). */
  async function touch (keys: string[], name = INDEX): Promise<void> {
    if (keys.length === 0) return
    const index = await readIndex(name)
    const stale = keys.filter((key) => index[key] !== undefined && now() - (index[key] as { used: number }).used >= TOUCH_MS)
    if (stale.length === 0) return
    for (const key of stale) (index[key] as { used: number }).used = now()
    await storage.set({ [name]: index })
  }

  async function recall (url: string): Promise<Recalled> {
    const site = siteKey(new URL(url).origin)
    const found = await storage.get([pageKey(url), site, dnsKey(url), pinKey(url)])
    const damaged: string[] = []
    const sound = <T>(key: string, value: unknown, check: (value: unknown) => value is T): T | null => {
      if (value === undefined) return null
      if (check(value)) return value
      damaged.push(key)
      return null
    }
    const page = sound(pageKey(url), found[pageKey(url)], isCachedPointers)
    const siteUrl = sound(site, found[site], isPageUrl)
    const prewarmed = sound(dnsKey(url), found[dnsKey(url)], isPrewarmedDns)
    const pin = sound(pinKey(url), found[pinKey(url)], isPin)
    const siteEntry = siteUrl !== null && siteUrl !== url
      ? sound(pageKey(siteUrl), (await storage.get([pageKey(siteUrl)]))[pageKey(siteUrl)], isCachedPointers)
      : null
    const damagedPointers = damaged.filter((key) => key !== pinKey(url))
    if (damagedPointers.length > 0) await forget(damagedPointers)
    if (damaged.includes(pinKey(url))) await forget([pinKey(url)], PIN_INDEX)
    // A page nothing was remembered for (the usual failing page) costs this one read, not the index's too.
    const used = [page !== null && pageKey(url), siteEntry !== null && siteUrl !== null && pageKey(siteUrl), prewarmed !== null && dnsKey(url)]
    await touch(used.filter((key) => key !== false))
    if (pin !== null) await touch([pinKey(url)], PIN_INDEX)
    return { page, site: siteEntry, prewarmed, pin }
  }

  return {
    remember: async (entry) => await serial(async () => {
      if (entry.url.length > MAX_URL_LENGTH) return
      await put({ [pageKey(entry.url)]: entry, [siteKey(new URL(entry.url).origin)]: entry.url })
    }),

    lookup: async (url) => await serial(async () => {
      const { page, site } = await recall(url)
      return { page, site }
    }),

    recall: async (url) => await serial(async () => await recall(url)),

    rememberTorrentFile: async (file) => await serial(async () => { if (file.url.length <= MAX_URL_LENGTH) await put({ [fileKey(file.url)]: file }) }),

    torrentFile: async (url) => await serial(async () => await read(fileKey(url), isCachedTorrentFile)),

    rememberDns: async (answer) => await serial(async () => { if (answer.url.length <= MAX_URL_LENGTH) await put({ [dnsKey(answer.url)]: answer }) }),

    prewarmedDns: async <T>(url: string) => await serial(async () => await read(dnsKey(url), isPrewarmedDns as (value: unknown) => value is PrewarmedDns<T>)),

    rememberPin: async (pin) => await serial(async () => { if (pin.url.length <= MAX_URL_LENGTH) await put({ [pinKey(pin.url)]: pin }, PIN_INDEX, pinLimits) }),

    forgetAll: async () => await serial(async () => {
      const [entries, pins] = await Promise.all([readIndex(), readIndex(PIN_INDEX)])
      const keys = Object.keys(entries)
      const pinKeys = Object.keys(pins)
      indexes.clear()
      await storage.remove([...keys, ...pinKeys, INDEX, PIN_INDEX])
      return {
        pages: keys.filter((key) => key.startsWith(pageKey(''))).length,
        sites: keys.filter((key) => key.startsWith(siteKey(''))).length,
        pins: pinKeys.length
      }
    })
  }
}

/**
 * The site an entry belongs to, from the URL in its key: the host's registrable part, guessed
 * without a suffix list (the last two labels, three under a short second-level label such as
 * co.uk), so a flood through many subdomains counts as one site. IP addresses count whole.
 */
export function siteOfKey (key: string): string {
  const url = key.slice(key.indexOf(':') + 1)
  if (!URL.canParse(url)) return ''
  const host = new URL(url).hostname.replace(/\.$/, '')
  if (host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host)) return host
  const labels = host.split('.')
  const keep = labels.length >= 3 && (labels.at(-2)?.length ?? 0) <= 3 && (labels.at(-1)?.length ?? 0) === 2 ? 3 : 2
  return labels.slice(-keep).join('.')
}

// What storage hands back is checked before it is believed: a damaged entry reads as absent.
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string')
const isPageUrl = (value: unknown): value is string => typeof value === 'string' && URL.canParse(value)

function soundIndex (value: unknown): Index {
  if (!isObject(value)) return {}
  return Object.fromEntries(Object.entries(value).filter(([, meta]) => isObject(meta) && typeof meta.used === 'number' && typeof meta.size === 'number')) as Index
}

function isPointer (value: unknown): value is TorrentPointer {
  if (!isObject(value)) return false
  if (value.kind === 'url') return typeof value.url === 'string'
  const magnet = value.magnet
  return value.kind === 'magnet' && isObject(magnet) && typeof magnet.infoHash === 'string' && typeof magnet.uri === 'string' &&
    isStrings(magnet.trackers) && isStrings(magnet.webSeeds)
}

function isCachedPointers (value: unknown): value is CachedPointers {
  return isObject(value) && typeof value.url === 'string' && Array.isArray(value.torrents) && value.torrents.every(isPointer) &&
    isStrings(value.mirrors) && isObject(value.digests) && Object.values(value.digests).every((digest) => typeof digest === 'string') &&
    typeof value.secure === 'boolean' && typeof value.seenAt === 'number' && (value.modifiedAt === undefined || typeof value.modifiedAt === 'number')
}

function isPin (value: unknown): value is Pin {
  return isObject(value) && typeof value.url === 'string' && isStrings(value.infoHashes) && typeof value.seenAt === 'number'
}

function isCachedTorrentFile (value: unknown): value is CachedTorrentFile {
  return isObject(value) && typeof value.url === 'string' && typeof value.base64 === 'string' && typeof value.infoHash === 'string' && typeof value.fetchedAt === 'number'
}

/** The answer itself (`found`) is the discovery's to check: a FoundTorrent, or null. */
function isPrewarmedDns (value: unknown): value is PrewarmedDns<unknown> {
  return isObject(value) && typeof value.url === 'string' && typeof value.at === 'number' && 'found' in value
}
