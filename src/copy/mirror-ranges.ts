// A single-file torrent's mirrors (servers of the file itself, docs/protocol.md) feed the torrent in
// long ranges from the file's end backwards, while peers take pieces from its start: WebTorrent's
// own web seeds ask one piece per request, and then mirrors and peers ask for the same pieces.
// Every piece is checked against the torrent's hash before it goes into the store; a mirror whose
// piece fails, or that errs or stalls, is used no more, and what it did not deliver goes to the
// others (peers keep asking for every piece they lack, so nothing waits on a dropped mirror).
import { siteFetch } from '../lib/site-fetch'
import { bytesToHex } from '../protocol/base64'
import type { FetchContext } from '../protocol/fetch-policy'
import type { WebTorrentInternals } from './webtorrent'

/** A run of pieces asked for in one request: about this many bytes. */
const RUN_BYTES = 2 * 1024 * 1024
/** Requests open at once on each mirror. */
const STREAMS_PER_MIRROR = 2
/** A mirror that sends nothing for this long is abandoned. */
const STALL_MS = 10_000

export interface MirrorFeed {
  /** Pieces from mirrors that failed their hash, and the mirrors dropped for any fault. */
  counts: () => { badPieces: number, droppedMirrors: number }
  stop: () => void
}

type Run = readonly [first: number, last: number]

export function feedFromMirrors (torrent: WebTorrentInternals, mirrors: string[], context: FetchContext): MirrorFeed {
  const pieceCount = torrent.pieces.length
  const runPieces = Math.max(1, Math.floor(RUN_BYTES / torrent.pieceLength))
  const stop = new AbortController()
  const dropped = new Set<string>()
  const returned: Run[] = []
  let next = pieceCount - 1
  let badPieces = 0

  const have = (index: number): boolean => torrent.bitfield.get(index)

  /** The next run not yet here, from the end; a run a dropped mirror left comes first. */
  function takeRun (): Run | null {
    const back = returned.pop()
    if (back !== undefined) return back
    while (next >= 0 && have(next)) next--
    if (next < 0) return null
    const last = next
    let first = Math.max(0, last - runPieces + 1)
    while (first < last && have(first)) first++
    next = first - 1
    return [first, last]
  }

  function drop (mirror: string, unfinished: Run | null): void {
    dropped.add(mirror)
    if (unfinished !== null) returned.push(unfinished)
  }

  async function stream (mirror: string): Promise<void> {
    for (let run = takeRun(); run !== null; run = takeRun()) {
      if (stop.signal.aborted || dropped.has(mirror) || torrent.done) {
        returned.push(run)
        return
      }
      const [first, last] = run
      let at = first
      try {
        for await (const piece of piecesOf(mirror, run)) {
          if (!have(at)) {
            if (await sha1Hex(piece) !== torrent._hashes[at]) {
              badPieces++
              drop(mirror, [at, last])
              return
            }
            await store(at, piece)
          }
          at++
        }
      } catch {
        drop(mirror, at <= last ? [at, last] : null)
        return
      }
    }
  }

  /** The run's pieces, each as soon as its bytes are in. */
  async function * piecesOf (mirror: string, [first, last]: Run): AsyncGenerator<Uint8Array> {
    const from = first * torrent.pieceLength
    const to = Math.min(torrent.length, (last + 1) * torrent.pieceLength)
    const response = await siteFetch(mirror, context, { headers: { range: `bytes=${from}-${to - 1}` }, maxBytes: to - from, stallMs: STALL_MS, signal: stop.signal })
    if (response.status !== 206 || response.body === null) {
      await response.body?.cancel()
      throw new Error(`HTTP ${response.status} for a range`)
    }
    const reader = response.body.getReader()
    let buffered: Uint8Array = new Uint8Array(0)
    for (let index = first; index <= last; index++) {
      const size = Math.min(torrent.pieceLength, torrent.length - index * torrent.pieceLength)
      while (buffered.length < size) {
        const read = await reader.read()
        if (read.done === true) throw new Error('the range ended early')
        buffered = concat(buffered, read.value)
      }
      yield buffered.slice(0, size)
      buffered = buffered.subarray(size)
    }
  }

  /** As WebTorrent stores a piece a peer sent, once its hash matched. */
  async function store (index: number, piece: Uint8Array): Promise<void> {
    await new Promise<void>((resolve, reject) => { torrent.store.put(index, piece, (error) => { if (error === null || error === undefined) resolve(); else reject(error) }) })
    if (torrent.destroyed || have(index)) return
    torrent.pieces[index] = null
    torrent._markVerified(index)
    for (const wire of torrent.wires) wire.have(index)
    torrent._checkDone()
    queueMicrotask(() => { torrent._update() })
  }

  const streams = mirrors.flatMap((mirror) => Array.from({ length: STREAMS_PER_MIRROR }, () => mirror))
  const start = (): void => { for (const mirror of streams) void stream(mirror) }
  if (torrent.ready) start()
  else torrent.once('ready', start)

  return {
    counts: () => ({ badPieces, droppedMirrors: dropped.size }),
    stop: () => { stop.abort() }
  }
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const joined = new Uint8Array(a.length + b.length)
  joined.set(a)
  joined.set(b, a.length)
  return joined
}

async function sha1Hex (bytes: Uint8Array): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-1', bytes as Uint8Array<ArrayBuffer>)))
}
