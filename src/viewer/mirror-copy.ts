// A copy from the site's mirrors, when no torrent is known (DESIGN.md §1, step 4): the mirrors the
// site named on a healthy visit (X-Mirrored-By, Link rel=duplicate) are asked which answers first;
// the fastest serves the file, in parallel ranges when it takes them; the bytes are checked against
// the site's digests, and a mirror whose bytes do not match is rejected for the next one.
import { isPrivateHost } from '../background/failover-policy'
import type { Digests } from '../protocol/digests'
import { RunningDigests } from '../protocol/verify-digests'

/** Files above this come in ranges, this many at a time. */
const RANGE_BYTES = 2 * 1024 * 1024
const RANGES_AT_ONCE = 4
const PROBE_TIMEOUT_MS = 5000

export interface MirrorFile {
  mirror: string
  contentType: string | null
  parts: Uint8Array[]
  length: number
  /** Whether the site published a digest the bytes were checked against. */
  checked: boolean
  /** Mirrors not used, and why. */
  rejected: Array<{ mirror: string, why: string }>
}

interface Probe { mirror: string, ranges: boolean, length: number | null, contentType: string | null, ms: number }

/**
 * The mirrors a page may be fetched from: http(s) only; and a public site may not send its readers
 * to their own network (a router's page, an intranet), which the extension could read where a web
 * page could not — unless the reader allowed private hosts, or the page is on one itself.
 */
export function usableMirrors (mirrors: string[], page: string, allowPrivateHosts: boolean): string[] {
  const pagePrivate = isPrivateHost(new URL(page).hostname)
  return mirrors.filter((mirror) => {
    if (!URL.canParse(mirror)) return false
    const url = new URL(mirror)
    return /^https?:$/.test(url.protocol) && (allowPrivateHosts || pagePrivate || !isPrivateHost(url.hostname))
  })
}

/** Resolves with the first mirror whose bytes match; rejects, naming every mirror's fault, when none does. */
export async function fetchFromMirrors (mirrors: string[], digests: Digests, maxBytes: number, onProgress: (mirror: string, done: number, total: number | null) => void): Promise<MirrorFile> {
  const rejected: MirrorFile['rejected'] = []
  const probes = await Promise.all(mirrors.map(async (mirror) => await probe(mirror).catch((error: unknown) => {
    rejected.push({ mirror, why: reason(error) })
    return null
  })))
  const fastestFirst = probes.filter((found): found is Probe => found !== null).sort((a, b) => a.ms - b.ms)
  const checked = Object.keys(digests).length > 0
  for (const found of fastestFirst) {
    try {
      if (found.length !== null && found.length > maxBytes) throw new Error(`it serves ${found.length} bytes, more than the ${maxBytes} allowed`)
      const parts = await download(found, maxBytes, (done) => { onProgress(found.mirror, done, found.length) })
      const running = new RunningDigests(digests)
      for (const part of parts) running.update(part)
      const mismatch = running.mismatch('its copy')
      if (mismatch !== null) throw new Error(mismatch)
      return { mirror: found.mirror, contentType: found.contentType, parts, length: parts.reduce((sum, part) => sum + part.length, 0), checked, rejected }
    } catch (error) {
      rejected.push({ mirror: found.mirror, why: reason(error) })
    }
  }
  throw new Error(`No mirror served a good copy: ${rejected.map(({ mirror, why }) => `${mirror} (${why})`).join('; ')}.`)
}

/** Asks for the first byte: how soon the mirror answers, whether it serves ranges, and the size. */
async function probe (mirror: string): Promise<Probe> {
  const started = performance.now()
  const response = await fetch(mirror, { headers: { range: 'bytes=0-0' }, credentials: 'omit', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
  const ms = performance.now() - started
  await response.body?.cancel()
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]
  const length = response.status === 206 ? (total === undefined ? null : Number(total)) : numberOrNull(response.headers.get('content-length'))
  return { mirror, ranges: response.status === 206 && total !== undefined, length, contentType: response.headers.get('content-type'), ms }
}

async function download (found: Probe, maxBytes: number, progress: (done: number) => void): Promise<Uint8Array[]> {
  let done = 0
  const count = (bytes: number): void => {
    done += bytes
    if (done > maxBytes) throw new Error(`it sent more than the ${maxBytes} bytes allowed`)
    progress(done)
  }
  if (!found.ranges || found.length === null || found.length <= RANGE_BYTES) return await whole(found.mirror, count)
  const length = found.length
  const ranges = Array.from({ length: Math.ceil(length / RANGE_BYTES) }, (_, index) => [index * RANGE_BYTES, Math.min(length, (index + 1) * RANGE_BYTES) - 1] as const)
  const parts: Uint8Array[] = new Array(ranges.length)
  let next = 0
  // One range failing stops the others: the mirror is rejected as a whole.
  const stop = new AbortController()
  const worker = async (): Promise<void> => {
    while (next < ranges.length && !stop.signal.aborted) {
      const index = next++
      const [start, end] = ranges[index] as readonly [number, number]
      const response = await fetch(found.mirror, { headers: { range: `bytes=${start}-${end}` }, credentials: 'omit', signal: stop.signal })
      if (response.status !== 206) throw new Error(`it answered a range with HTTP ${response.status}`)
      const part = new Uint8Array(await response.arrayBuffer())
      if (part.length !== end - start + 1) throw new Error(`it sent ${part.length} bytes for a range of ${end - start + 1}`)
      count(part.length)
      parts[index] = part
    }
  }
  await Promise.all(Array.from({ length: RANGES_AT_ONCE }, async () => { await worker().catch((error: unknown) => { stop.abort(); throw error }) }))
  return parts
}

async function whole (mirror: string, count: (bytes: number) => void): Promise<Uint8Array[]> {
  const response = await fetch(mirror, { credentials: 'omit' })
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`)
  const chunks: Uint8Array[] = []
  const reader = response.body.getReader()
  for (let read = await reader.read(); read.done !== true; read = await reader.read()) {
    count(read.value.length)
    chunks.push(read.value)
  }
  return chunks
}

/**
 * A mirror of a page serves its assets at the same paths under the same prefix (the page
 * https://site/blog/post.html mirrored at https://mirror/site/blog/post.html has /blog/a.png at
 * https://mirror/site/blog/a.png); a mirror URL that does not end with the page's path serves the page alone.
 */
export function mirrorAssets (mirror: string, original: string): (path: string) => Promise<ArrayBuffer | null> {
  const mirrorUrl = new URL(mirror)
  const pagePath = new URL(original).pathname
  const prefix = mirrorUrl.pathname.endsWith(pagePath) ? mirrorUrl.pathname.slice(0, mirrorUrl.pathname.length - pagePath.length) : null
  return async (path) => {
    if (prefix === null) return null
    const response = await fetch(new URL(prefix + (path.startsWith('/') ? path : `/${path}`), mirrorUrl.origin), { credentials: 'omit' }).catch(() => null)
    return response?.ok === true ? await response.arrayBuffer() : null
  }
}

const numberOrNull = (text: string | null): number | null => text !== null && /^\d+$/.test(text) ? Number(text) : null
const reason = (error: unknown): string => error instanceof Error ? error.message : String(error)
