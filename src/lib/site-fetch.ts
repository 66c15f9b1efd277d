// Fetching on a site's word (a .torrent, a web seed, a mirror, a mirror's asset): the one place
// that does it, so every such URL passes src/protocol/fetch-policy.ts and no answer is read
// without bounds. No cookies; no redirects — a redirect's target is hidden from an extension
// (the response is an opaque redirect), so it cannot be judged before it is requested; sites name
// their final addresses (docs/protocol.md). A body larger than allowed, or that stops arriving
// for `stallMs`, fails the read.
import { judgeFetch, type FetchContext } from '../protocol/fetch-policy'
import { MAX_METADATA_BYTES } from '../protocol/torrent-limits'
import type { Settings } from './settings'

export interface SiteFetchOptions {
  headers?: Record<string, string>
  /** The most the body may hold. */
  maxBytes: number
  /** Abandon the request when no answer, or no more of its body, arrives for this long. */
  stallMs?: number
  signal?: AbortSignal
}

/** The policy refused the URL, or its answer was a redirect. */
export class RefusedFetch extends Error {}
/** The body was larger than allowed. */
export class TooMuchData extends Error {}
/** No answer, or (`started`) no more of the body, for too long. */
export class Stalled extends Error {
  constructor (message: string, readonly seconds: number, readonly started: boolean) {
    super(message)
  }
}

const STALL_MS = 15_000
// The page's own fetch, kept before guardPageFetch replaces it.
const nativeFetch = globalThis.fetch.bind(globalThis)

/** What fetches on the word of `page` may reach, by the reader's settings. */
export const fetchContext = (page: string, settings: Pick<Settings, 'allowPrivateHosts' | 'offSites'>): FetchContext =>
  ({ page, allowPrivateHosts: settings.allowPrivateHosts, offSites: settings.offSites })

/** A response whose body stops with an error past `maxBytes` or after `stallMs` of silence. */
export async function siteFetch (target: string, context: FetchContext, options: SiteFetchOptions, fetchImpl: typeof fetch = nativeFetch): Promise<Response> {
  const verdict = judgeFetch(target, context)
  if (!verdict.ok) throw new RefusedFetch(`Peerback does not fetch this: ${verdict.why}.`)
  const stallMs = options.stallMs ?? STALL_MS
  const controller = new AbortController()
  const abort = (): void => { controller.abort() }
  if (options.signal?.aborted === true) abort()
  options.signal?.addEventListener('abort', abort, { once: true })
  let stalled = false
  let timer = setTimeout(() => { stalled = true; abort() }, stallMs)
  const quiet = (): void => { clearTimeout(timer); timer = setTimeout(() => { stalled = true; abort() }, stallMs) }
  const done = (): void => { clearTimeout(timer); options.signal?.removeEventListener('abort', abort) }
  let response: Response
  try {
    response = await fetchImpl(verdict.url.href, { headers: options.headers, credentials: 'omit', redirect: 'manual', signal: controller.signal, cache: 'no-store' })
  } catch (error) {
    done()
    throw stalled ? new Stalled(`${verdict.url.host} did not answer within ${stallMs / 1000} s`, stallMs / 1000, false) : error
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    done()
    throw new RefusedFetch(`Peerback does not follow redirects for addresses a site names, and ${verdict.url.host} redirects ${verdict.url.pathname}.`)
  }
  if (response.body === null) {
    done()
    return response
  }
  const reader = response.body.getReader()
  let received = 0
  const host = verdict.url.host
  const body = new ReadableStream<Uint8Array>({
    async pull (stream) {
      try {
        const read = await reader.read()
        if (read.done) {
          done()
          stream.close()
          return
        }
        received += read.value.length
        if (received > options.maxBytes) throw new TooMuchData(`${host} sent more than the ${options.maxBytes} bytes allowed`)
        quiet()
        stream.enqueue(read.value)
      } catch (error) {
        done()
        abort()
        stream.error(stalled ? new Stalled(`${host} stopped sending for ${stallMs / 1000} s`, stallMs / 1000, true) : error)
      }
    },
    cancel () { done(); abort() }
  })
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
}

/**
 * A body's bytes. Read here rather than with `arrayBuffer()`, which may report a cut-off body only
 * as "Failed to fetch": a reader hands back the reason the body stopped (too long, stalled).
 */
export async function readBody (response: Response): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body.getReader()
  for (let read = await reader.read(); read.done !== true; read = await reader.read()) {
    chunks.push(read.value)
    size += read.value.length
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length }
  return bytes
}

/** The bytes a `Range: bytes=a-b` asks for, or null for an open or missing range. */
export function rangeLength (range: string | null | undefined): number | null {
  const match = /^bytes=(\d+)-(\d+)$/.exec(range?.trim() ?? '')
  return match === null ? null : Number(match[2]) - Number(match[1]) + 1
}

/**
 * Puts the page's `fetch` behind the policy, for code that is not ours and fetches on a site's
 * word (WebTorrent's web seeds, its magnets' xs= torrents): call before that code loads, as it
 * keeps the `fetch` it finds. Extension, blob: and data: URLs pass; anything else waits for
 * `context` (null until the page holds a copy: refused) and is read within the range it asked
 * for, else within a torrent file's cap.
 */
export function guardPageFetch (context: () => (FetchContext & { maxBytes: number }) | null): void {
  const original = nativeFetch
  const own = `${globalThis.location.protocol}//${globalThis.location.host}`
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input)
    if (url.startsWith(`${own}/`) || /^(blob|data):/i.test(url)) return await original(input, init)
    const current = context()
    if (current === null) throw new RefusedFetch(`Peerback does not fetch ${url} yet: no page is known.`)
    const headers = Object.fromEntries(new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)))
    // A web seed asks for a range and gets that much; anything else WebTorrent fetches is a .torrent (xs=).
    const maxBytes = Math.min(rangeLength(headers.range) ?? MAX_METADATA_BYTES, current.maxBytes)
    // Only what a fetch on a site's word may say: a range, and what type it accepts.
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name === 'range' || name === 'accept'))
    return await siteFetch(url, current, { headers: kept, maxBytes, signal: init?.signal ?? undefined }, original)
  }
}
