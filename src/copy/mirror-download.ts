// One mirror's file, in parallel ranges when it serves them, with a second mirror as its witness:
// a small slice of every range is asked of the witness too, and a range whose slices disagree is
// fetched whole from the witness as well, beside the rest. When the file then fails the site's
// digest, the witness's versions of those disputed ranges make the other candidate: a damaged
// mirror costs the ranges it damaged (all of them, at worst, fetched side by side), not a second
// pass over the whole file after the first. Once the first ranges all disagree, the witness takes
// the ranges not yet begun (the mirror looks damaged throughout); should its version then fail the
// digest, the mirror's own ranges are fetched after all: every range comes at most once from each.
import { MirrorError } from '../lib/mirror-faults'
import { readBody, siteFetch } from '../lib/site-fetch'
import type { FetchContext } from '../protocol/fetch-policy'

/** Files above this come in ranges, this many at a time (and as many from the witness). */
const RANGE_BYTES = 2 * 1024 * 1024
const RANGES_AT_ONCE = 4
/** The slice of each range the witness is asked for. */
const SAMPLE_BYTES = 16 * 1024
/** The witness takes over once this many ranges were compared and every one disagreed. */
const TAKEOVER_AFTER = 2
/** A mirror that sends nothing for this long, in the middle of a file, is abandoned for the next. */
export const STALL_MS = 10_000

export interface ServedFile { mirror: string, ranges: boolean, length: number | null }

export interface Downloaded {
  /**
   * The mirror's own version of the ranges `wanted` picks (all by default), those the witness took
   * over fetched now; the others as they are (absent if the witness took them).
   */
  ours: (wanted?: (range: number) => boolean) => Promise<Uint8Array[]>
  /**
   * The witness's own version of every range whose slice it disagreed on, and of the ranges it
   * took over, by the range's index.
   */
  disputed: Map<number, Uint8Array>
  /** Ranges whose slices were compared (0 without a witness), and how many of them disagreed. */
  sampled: number
  disagreed: number
  ranges: number
}

type Range = readonly [start: number, end: number]

/**
 * `count` is told of every byte of `found`'s (it throws past the budget); the witness's bytes are
 * bounded by the ranges asked (at most the file again). A witness that errs is asked no more; a
 * fault of `found`'s own rejects it.
 */
export async function download (found: ServedFile, witness: ServedFile | null, context: FetchContext, maxBytes: number, count: (bytes: number) => void): Promise<Downloaded> {
  if (!found.ranges || found.length === null || found.length <= RANGE_BYTES) {
    const parts = await whole(found.mirror, context, maxBytes, count)
    return { ours: async () => await Promise.resolve(parts), disputed: new Map(), sampled: 0, disagreed: 0, ranges: 1 }
  }
  const length = found.length
  const ranges: Range[] = Array.from({ length: Math.ceil(length / RANGE_BYTES) }, (_, index) => [index * RANGE_BYTES, Math.min(length, (index + 1) * RANGE_BYTES) - 1])
  const parts: Array<Uint8Array | undefined> = Array.from({ length: ranges.length }, () => undefined)
  const disputed = new Map<number, Uint8Array>()
  const stop = new AbortController()
  let asking = witness !== null && witness.ranges && witness.length === length ? witness.mirror : null
  let compared = 0
  let disagreed = 0
  const fromWitness = limiter(RANGES_AT_ONCE)
  const witnessWork: Array<Promise<void>> = []

  /** The witness's word on one range: a slice compared with ours, then, on a disagreement, the whole range. */
  const ask = async (index: number, [start, end]: Range, ours: Promise<Uint8Array>): Promise<void> => {
    const offset = start + Math.floor(Math.random() * Math.max(1, end - start + 2 - SAMPLE_BYTES))
    const last = Math.min(end, offset + SAMPLE_BYTES - 1)
    try {
      if (asking === null) return
      const slice = await fromWitness(async () => await fetchRange(asking as string, [offset, last], context, stop.signal))
      const part = await ours
      compared++
      if (sameBytes(slice, part.subarray(offset - start, last - start + 1)) || asking === null) return
      disagreed++
      disputed.set(index, await fromWitness(async () => await fetchRange(asking as string, [start, end], context, stop.signal)))
    } catch {
      asking = null // a witness that errs has nothing more to say; ours stands or falls by the digest
    }
  }

  /** A range the mirror is not asked for: the witness's whole, or none if the witness errs. */
  const takeOver = async (index: number, range: Range): Promise<void> => {
    try {
      const part = await fromWitness(async () => await fetchRange(asking as string, range, context, stop.signal))
      disputed.set(index, part)
      count(part.length)
    } catch {
      asking = null
    }
  }

  let next = 0
  const worker = async (): Promise<void> => {
    while (next < ranges.length && !stop.signal.aborted) {
      const index = next++
      const range = ranges[index] as Range
      if (asking !== null && disagreed >= TAKEOVER_AFTER && disagreed === compared) {
        witnessWork.push(takeOver(index, range))
        continue
      }
      const ours = fetchRange(found.mirror, range, context, stop.signal)
      witnessWork.push(ask(index, range, ours))
      const part = await ours
      count(part.length)
      parts[index] = part
    }
  }
  // One range failing stops the others: the mirror is rejected as a whole.
  await Promise.all(Array.from({ length: RANGES_AT_ONCE }, async () => { await worker().catch((error: unknown) => { stop.abort(); throw error }) }))
  await Promise.all(witnessWork)
  const ours = async (wanted: (range: number) => boolean = () => true): Promise<Uint8Array[]> => {
    const missing = ranges.flatMap((range, index) => parts[index] === undefined && wanted(index) ? [[index, range] as const] : [])
    const fromUs = limiter(RANGES_AT_ONCE)
    await Promise.all(missing.map(async ([index, range]) => { parts[index] = await fromUs(async () => await fetchRange(found.mirror, range, context, stop.signal)) }))
    return parts as Uint8Array[]
  }
  return { ours, disputed, sampled: compared, disagreed, ranges: ranges.length }
}

async function fetchRange (mirror: string, [start, end]: Range, context: FetchContext, signal: AbortSignal): Promise<Uint8Array> {
  const response = await siteFetch(mirror, context, { headers: { range: `bytes=${start}-${end}` }, maxBytes: end - start + 1, stallMs: STALL_MS, signal })
  if (response.status !== 206) {
    await response.body?.cancel()
    throw new MirrorError({ kind: 'http', status: response.status }, `it answered a range with HTTP ${response.status}`)
  }
  const part = await readBody(response)
  if (part.length !== end - start + 1) throw new MirrorError({ kind: 'bad-range' }, `it sent ${part.length} bytes for a range of ${end - start + 1}`)
  return part
}

async function whole (mirror: string, context: FetchContext, maxBytes: number, count: (bytes: number) => void): Promise<Uint8Array[]> {
  const response = await siteFetch(mirror, context, { maxBytes, stallMs: STALL_MS })
  if (!response.ok || response.body === null) throw new MirrorError({ kind: 'http', status: response.status }, `HTTP ${response.status}`)
  const chunks: Uint8Array[] = []
  const reader = response.body.getReader()
  for (let read = await reader.read(); read.done !== true; read = await reader.read()) {
    count(read.value.length)
    chunks.push(read.value)
  }
  return chunks
}

/** Runs the tasks given to it at most `n` at a time, in the order given. */
function limiter (n: number) {
  let running = 0
  const waiting: Array<() => void> = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < n) running++
    else await new Promise<void>((resolve) => waiting.push(resolve)) // a finishing task hands over its place
    try {
      return await task()
    } finally {
      const following = waiting.shift()
      if (following === undefined) running--
      else following()
    }
  }
}

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false
  return true
}
