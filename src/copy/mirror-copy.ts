// A copy from the site's mirrors, when no torrent is known (docs/protocol.md, Mirrors): the mirrors the
// site named on a healthy visit (X-Mirrored-By, Link rel=duplicate) are asked which answers first;
// the fastest serves the file, in parallel ranges when it takes them, with the next as its witness
// (mirror-download.ts); the bytes are checked against the site's digests, and a mirror whose bytes
// do not match is rejected for the witness's version of the ranges they disputed, or the next mirror.
import { MirrorError, NoGoodMirror, rejection, type RejectedMirror } from '../lib/mirror-faults'
import { Stalled, TooMuchData, readBody, siteFetch } from '../lib/site-fetch'
import type { Digests } from '../protocol/digests'
import { judgeFetch, type FetchContext } from '../protocol/fetch-policy'
import { failingDigest, publishedDigestName } from '../protocol/verify-digests'
import { download, STALL_MS, type ServedFile } from './mirror-download'

const PROBE_TIMEOUT_MS = 5000
/** A mirrored page may ask its mirror for this many files at most, besides the page itself. */
export const MAX_MIRROR_ASSETS = 500

export interface MirrorFile {
  /** The mirror that served the file, or most of it. */
  mirror: string
  contentType: string | null
  parts: Uint8Array[]
  length: number
  /** Whether the site published a digest the bytes were checked against. */
  checked: boolean
  /** Mirrors not used, and why. */
  rejected: RejectedMirror[]
}

interface Probe extends ServedFile { contentType: string | null, ms: number }

/** The mirrors a page may be fetched from: those the fetch policy allows for the page (src/protocol/fetch-policy.ts). */
export function usableMirrors (mirrors: string[], context: FetchContext): string[] {
  return mirrors.filter((mirror) => judgeFetch(mirror, context).ok)
}

/** Resolves with the first mirror whose bytes match; rejects with NoGoodMirror, naming every mirror's fault, when none does. */
export async function fetchFromMirrors (mirrors: string[], context: FetchContext, digests: Digests, maxBytes: number, onProgress: (mirror: string, done: number, total: number | null) => void): Promise<MirrorFile> {
  const rejected: MirrorFile['rejected'] = []
  const probes = await Promise.all(mirrors.map(async (mirror) => await probe(mirror, context).catch((error: unknown) => {
    rejected.push(rejection(mirror, error))
    return null
  })))
  const fastestFirst = probes.filter((found): found is Probe => found !== null).sort((a, b) => a.ms - b.ms)
  const checked = Object.keys(digests).length > 0
  const file = (found: Probe, mirror: string, parts: Uint8Array[]): MirrorFile =>
    ({ mirror, contentType: found.contentType, parts, length: parts.reduce((sum, part) => sum + part.length, 0), checked, rejected })
  for (const [index, found] of fastestFirst.entries()) {
    try {
      if (found.length !== null && found.length > maxBytes) throw new MirrorError({ kind: 'too-large' }, `it serves ${found.length} bytes, more than the ${maxBytes} allowed`)
      // Only a digest can settle a disagreement: without one, no witness is asked.
      const witness = checked ? fastestFirst[index + 1] ?? null : null
      let done = 0
      const got = await download(found, witness, context, maxBytes, (bytes) => {
        done += bytes
        if (done > maxBytes) throw new MirrorError({ kind: 'too-large' }, `it sent more than the ${maxBytes} bytes allowed`)
        onProgress(found.mirror, done, found.length)
      })
      if (!checked) return file(found, found.mirror, await got.ours())
      const matches = async (parts: Uint8Array[]): Promise<boolean> => await failingDigest(await joined(parts), digests) === null
      // The witness's version of the ranges it disputed or took over, the mirror's for the rest.
      const disputedBy = got.disputed.size > 0 ? witness : null
      const settled = async (): Promise<Uint8Array[]> => {
        const ours = await got.ours((range) => !got.disputed.has(range))
        return Array.from({ length: got.ranges }, (_, range) => got.disputed.get(range) ?? ours[range] as Uint8Array)
      }
      const settledBy = (witnessMirror: string, algorithm: string, parts: Uint8Array[]): MirrorFile => {
        const fault = { kind: 'settled', algorithm, disputed: got.disagreed, sampled: got.sampled, witness: new URL(witnessMirror).host } as const
        rejected.push({ mirror: found.mirror, fault, why: `its copy does not match the ${algorithm} digest the site published; ${got.disagreed} of the ${got.sampled} ranges checked disagreed with ${fault.witness}, whose ranges made a copy that matches` })
        return file(found, got.disputed.size * 2 > got.ranges ? witnessMirror : found.mirror, parts)
      }
      // The likelier copy is checked first: the witness's when it holds most of the file. Where its
      // copy matches, the mirror's (different in every disputed slice) cannot.
      const witnessFirst = disputedBy !== null && got.disputed.size * 2 > got.ranges
      if (witnessFirst) {
        const parts = await settled()
        if (await matches(parts)) return settledBy(disputedBy.mirror, publishedDigestName(digests), parts)
      }
      const parts = await got.ours()
      const failed = await failingDigest(await joined(parts), digests)
      if (failed === null) return file(found, found.mirror, parts)
      if (!witnessFirst && disputedBy !== null) {
        const parts = await settled()
        if (await matches(parts)) return settledBy(disputedBy.mirror, failed, parts)
      }
      throw new MirrorError({ kind: 'digest', algorithm: failed }, `its copy does not match the ${failed} digest the site published.`)
    } catch (error) {
      rejected.push(rejection(found.mirror, error))
    }
  }
  throw new NoGoodMirror(rejected)
}

const joined = async (parts: Uint8Array[]): Promise<ArrayBuffer> => await new Blob(parts as BlobPart[]).arrayBuffer()

/** Asks for the first byte: how soon the mirror answers, whether it serves ranges, and the size. */
async function probe (mirror: string, context: FetchContext): Promise<Probe> {
  const started = performance.now()
  const response = await siteFetch(mirror, context, { headers: { range: 'bytes=0-0' }, maxBytes: 1, stallMs: PROBE_TIMEOUT_MS })
  const ms = performance.now() - started
  await response.body?.cancel()
  if (!response.ok) throw new MirrorError({ kind: 'http', status: response.status }, `HTTP ${response.status}`)
  const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]
  const length = response.status === 206 ? (total === undefined ? null : Number(total)) : numberOrNull(response.headers.get('content-length'))
  return { mirror, ranges: response.status === 206 && total !== undefined, length, contentType: response.headers.get('content-type'), ms }
}

/**
 * A mirror of a page serves its assets at the same paths under the same prefix (the page
 * https://site/blog/post.html mirrored at https://mirror/site/blog/post.html has /blog/a.png at
 * https://mirror/site/blog/a.png); a mirror URL that does not end with the page's path serves the page alone.
 * `path` comes from the copy (its references, or its script's messages): the address made of it
 * stays on the mirror's origin under the prefix, and the files together stay within `budget` bytes
 * and MAX_MIRROR_ASSETS requests.
 */
export function mirrorAssets (mirror: string, original: string, context: FetchContext, budget: number): (path: string) => Promise<ArrayBuffer | null> {
  let left = budget
  let requests = 0
  return async (path) => {
    const url = mirrorAssetUrl(mirror, original, path)
    if (url === null || left <= 0 || requests >= MAX_MIRROR_ASSETS) return null
    requests++
    try {
      const response = await siteFetch(url, context, { maxBytes: left, stallMs: STALL_MS })
      if (!response.ok) { await response.body?.cancel(); return null }
      const bytes = await readBody(response)
      left -= bytes.byteLength
      return bytes.buffer as ArrayBuffer
    } catch (error) {
      if (error instanceof TooMuchData || error instanceof Stalled) left = 0 // a mirror that sent too much, or stalled, serves no more
      return null
    }
  }
}

/**
 * The mirror's address for a site path of the copy, or null: a path that could leave the mirror
 * (`//host`, a backslash, an encoded slash or backslash) or its prefix (`..`) names nothing.
 */
export function mirrorAssetUrl (mirror: string, original: string, path: string): string | null {
  if (!URL.canParse(mirror) || !URL.canParse(original)) return null
  const mirrorUrl = new URL(mirror)
  const pagePath = new URL(original).pathname
  if (!mirrorUrl.pathname.endsWith(pagePath)) return null
  const prefix = mirrorUrl.pathname.slice(0, mirrorUrl.pathname.length - pagePath.length)
  if (!path.startsWith('/') || /\/\/|\\|%2f|%5c|[\0-\x1f]/i.test(path)) return null
  const url = new URL(mirrorUrl.origin)
  url.pathname = prefix + path
  return url.origin === mirrorUrl.origin && url.pathname.startsWith(`${prefix}/`) && url.search === '' ? url.href : null
}

const numberOrNull = (text: string | null): number | null => text !== null && /^\d+$/.test(text) ? Number(text) : null
