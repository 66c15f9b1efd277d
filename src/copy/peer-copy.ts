// The tab's WebTorrent client: adds the copy's torrent, checks it against the limits as soon as
// its metadata is known, and gives out its files by site path. In memory, gone with the tab; or,
// for a page the reader keeps sharing, on disk (kept-store.ts).
import MemoryChunkStore from 'memory-chunk-store'
import type { FoundPointer } from '../lib/discovery'
import type { Handoff } from '../lib/handoff'
import type { Settings } from '../lib/settings'
import { fetchContext, guardPageFetch } from '../lib/site-fetch'
import { fetchTorrentFile } from '../lib/torrent-fetch'
import { isPrivateHost, type FetchContext } from '../protocol/fetch-policy'
import { base64ToBytes } from '../protocol/base64'
import { ProtocolError } from '../protocol/errors'
import { readTorrentFile } from '../protocol/torrent-file'
import { decodePath, fileForPath } from '../protocol/torrent-paths'
import { feedFromMirrors } from './mirror-ranges'
import { PieceBlame, type BlameCounts } from './piece-blame'
import type { WebTorrentClient, WebTorrentConstructor, WebTorrentFile, WebTorrentInternals, WebTorrentTorrent, WebTorrentWire } from './webtorrent'

export interface PeerCopy {
  readonly torrent: WebTorrentTorrent
  /** Its pieces go to disk as they come and stay there (kept-store.ts). */
  readonly onDisk: boolean
  /** The site's mirrors that feed the torrent (mirror-ranges.ts). */
  readonly mirrors: string[]
  /** The bytes of the file serving a site path, or null when the torrent has none. */
  file: (path: string, exactOnly?: boolean) => Promise<{ path: string, bytes: ArrayBuffer } | null>
  /** The file serving a site path, to read as it arrives; null when the torrent has none. */
  target: (path: string) => WebTorrentFile | null
  /** Resolves when every file is here, or after `ms` at most. */
  settled: (ms: number) => Promise<void>
  /** The torrent and the pieces held so far, for the viewer that takes this copy over. */
  handOff: () => Promise<Pick<Handoff, 'torrentFile' | 'pieces'>>
  stopUploading: () => void
  /** KiB per second; 0 = no limit. */
  setUploadLimit: (kibPerSecond: number) => void
  /** Pieces that failed their hash, and the peers dropped for sending them. */
  integrity: () => BlameCounts
  /** Announces again now, for fresh offers, instead of at the tracker's next interval (minutes). */
  lookForPeers: () => void
  /** A fatal error of the WebTorrent client once the copy is open (before, openPeerCopy rejects with it). */
  onFailure: (listener: (error: Error) => void) => void
  destroy: () => void
}

let webTorrent: Promise<WebTorrentConstructor> | null = null

/** The copies open in this page, by the page each is a copy of: what WebTorrent's own fetches may reach. */
const openCopies = new Map<object, FetchContext & { maxBytes: number }>()

/**
 * What WebTorrent may fetch (web seeds from a torrent's url-list or a magnet's ws=, a magnet's
 * xs= torrent): a page on a private host may name private hosts, but in a page holding copies of
 * several pages (the prefetch host) only while none of them is public.
 */
function webTorrentContext (): (FetchContext & { maxBytes: number }) | null {
  const contexts = [...openCopies.values()]
  return contexts.find((context) => !URL.canParse(context.page) || !isPrivateHost(new URL(context.page).hostname)) ?? contexts[0] ?? null
}

/**
 * The WebTorrent bundle (220 KB), loaded once: only pages that host a copy load it, and the viewer
 * starts loading it as soon as it runs, beside its first messages. It keeps the `fetch` it finds,
 * so the page's `fetch` goes behind the fetch policy first.
 */
export async function loadWebTorrent (): Promise<WebTorrentConstructor> {
  if (webTorrent === null) guardPageFetch(webTorrentContext)
  // Where the build puts it (vite.config.ts): at the root of the extension's origin. A literal, so
  // a reviewer's linter can see that nothing else is ever imported here.
  webTorrent ??= import(/* @vite-ignore */ '/vendor/webtorrent.min.js').then((module) => module.default)
  return await webTorrent
}

/**
 * `mirrors`: other servers the site named for this page (X-Mirrored-By, Link rel=duplicate); they
 * serve the page's file itself, so they join a single-file torrent as web seeds.
 */
/**
 * `forThisUrl`: the torrent was named for `page` itself, so it serves that page whatever its file
 * is called (discovery's foundForThisUrl); other paths only by their own names.
 * `kept`: the pieces go to disk and stay there when the copy is destroyed (kept-store.ts):
 * 'fetch' checks those already there and fetches the rest; 'share' shares a kept copy that is
 * whole on disk as it is (else as 'fetch').
 */
export async function openPeerCopy (page: string, pointer: FoundPointer, settings: Settings, forThisUrl: boolean, handoff: Handoff | null = null, mirrors: string[] = [], kept: 'fetch' | 'share' | null = null): Promise<PeerCopy> {
  const limits = { maxTotalBytes: settings.maxCopyBytes }
  const context = fetchContext(page, settings)
  const key = {}
  openCopies.set(key, { ...context, maxBytes: settings.maxCopyBytes })
  const [torrentId, WebTorrent, keptStore] = await Promise.all([handoff?.torrentFile ?? torrentIdOf(pointer, context), loadWebTorrent(), kept === null ? null : Promise.all([import('./kept-store'), import('./kept-folders')]).then(([store, folders]) => ({ ...store, ...folders }))])
    .catch((error: unknown) => { openCopies.delete(key); throw error })
  // A .torrent is checked before it is added; a magnet's metadata comes from peers, checked once it is here.
  const known = typeof torrentId === 'string' ? null : await readTorrentFile(torrentId, limits)
  if (known?.ok === false) throw known.error
  const pieceCount = known?.value.pieceCount ?? 0
  const whole = kept === 'share' && known !== null && await keptStore?.keptWhole(known.value.infoHash, pieceCount) === true
  const client: WebTorrentClient = new WebTorrent({
    tracker: { rtcConfig: { iceServers: settings.iceServers.map((urls) => ({ urls })) } },
    uploadLimit: uploadRate(settings.uploadLimitKiBps)
  })
  const failureListeners: Array<(error: Error) => void> = []
  let opened = false
  const torrent = await new Promise<WebTorrentTorrent>((resolve, reject) => {
    client.on('error', (error: Error) => {
      if (!opened) reject(new ProtocolError('torrent-unreadable', `The copy could not be opened: ${error.message}.`))
      else for (const listener of failureListeners) listener(new Error(`The copy failed: ${error.message}.`))
    })
    // Handed-over pieces go into the store first; WebTorrent hashes each one before trusting it.
    const store = keptStore?.KeptStore ?? (handoff === null ? MemoryChunkStore : prefilledStore(handoff.pieces))
    // An empty store holds nothing to verify, and a whole kept copy nothing unknown: saying so up
    // front (a bitfield) lets WebTorrent announce at once instead of after reading every piece back.
    const bitfield = whole ? { bitfield: fullBitfield(pieceCount) } : handoff === null && known !== null && keptStore === null ? { bitfield: new Uint8Array(Math.ceil(pieceCount / 8)) } : {}
    // The user's extra trackers join the torrent's own (and, for a magnet, its tr= ones).
    // A whole kept copy only answers: readers who want it send their offers through the tracker,
    // so it makes none of its own (each is a peer connection held open for nothing), and it keeps
    // no pieces in memory between uploads.
    const answerOnly = whole ? { getAnnounceOpts: () => ({ numwant: 0 }), storeCacheSlots: 0 } : {}
    const added = client.add(torrentId, { store, destroyStoreOnDestroy: keptStore === null, announce: settings.extraTrackers, ...bitfield, ...answerOnly })
    // A bad peer or tracker is a warning, not a failure: it is named and skipped (devtools console).
    added.on('warning', (warning: Error) => { console.warn(`Peerback: ${warning.message}`) })
    added.once('metadata', () => resolve(added))
    if ((added as { metadata?: unknown }).metadata != null) resolve(added)
  }).catch((error: unknown) => { client.destroy(); openCopies.delete(key); throw error })
  opened = true

  const checked = known ?? await readTorrentFile(torrent.torrentFile, limits)
  if (!checked.ok) {
    client.destroy()
    openCopies.delete(key)
    throw checked.error
  }
  const valid = checked.value
  // The mirrors serve the file itself: they feed a single-file torrent in long ranges (mirror-ranges.ts).
  const webSeeds = valid.multiFile ? [] : mirrors
  const feed = webSeeds.length === 0 ? null : feedFromMirrors(torrent as WebTorrentInternals, webSeeds, context)
  const blame = dropLiars(torrent)
  const pagePath = new URL(page).pathname
  const isPage = (path: string): boolean => forThisUrl && path === pagePath
  const byPath = new Map<string, WebTorrentFile>()
  for (const file of torrent.files) byPath.set(valid.multiFile ? file.path.slice(valid.name.length + 1) : file.path, file)

  return {
    torrent,
    onDisk: keptStore !== null,
    mirrors: webSeeds,
    async file (path, exactOnly = false) {
      const entry = exactOnly ? valid.files.find((file) => file.path === decodePath(path)) : okValue(fileForPath(valid, path, isPage(path)))
      const file = entry === undefined ? undefined : byPath.get(entry.path)
      if (entry === undefined || file === undefined) return null
      return { path: entry.path, bytes: await file.arrayBuffer() }
    },
    target (path) {
      const entry = okValue(fileForPath(valid, path, isPage(path)))
      return entry === undefined ? null : byPath.get(entry.path) ?? null
    },
    settled: async (ms) => {
      if (torrent.done) return
      await new Promise<void>((resolve) => {
        setTimeout(resolve, ms)
        torrent.once('done', () => { resolve() })
      })
    },
    handOff: async () => ({ torrentFile: torrent.torrentFile, pieces: await piecesOf(torrent) }),
    stopUploading: () => {
      // Choke every peer, now and later: a choked peer's requests go unanswered (BEP 3). An upload
      // throttle of 0 would also hold back this tab's own requests, and so its download.
      const refuse = (wire: WebTorrentWire): void => {
        wire.choke()
        wire.unchoke = () => {}
      }
      for (const wire of torrent.wires) refuse(wire)
      torrent.on('wire', refuse)
    },
    setUploadLimit: (kibPerSecond) => { client.throttleUpload(uploadRate(kibPerSecond)) },
    integrity: () => {
      const fromMirrors = feed?.counts() ?? { badPieces: 0, droppedMirrors: 0 }
      return { badPieces: blame.counts.badPieces + fromMirrors.badPieces, droppedPeers: blame.counts.droppedPeers + fromMirrors.droppedMirrors }
    },
    lookForPeers: () => { torrent.discovery?.tracker?.update() },
    onFailure: (listener) => { failureListeners.push(listener) },
    destroy: () => {
      feed?.stop()
      client.destroy()
      openCopies.delete(key)
    }
  }
}

/**
 * WebTorrent discards a piece that fails its hash and asks again, possibly the same peer. This
 * remembers who sent each piece, and drops (now and whenever it connects again) a peer that
 * piece-blame.ts finds guilty. WebTorrent 3.0 says a piece failed only in a warning.
 */
function dropLiars (torrent: WebTorrentTorrent): PieceBlame {
  const blame = new PieceBlame()
  const watch = (wire: WebTorrentWire): void => {
    const peer = wire.peerId
    if (peer === null) return
    if (blame.isDropped(peer)) wire.destroy()
    else wire.on('piece', (index) => { blame.received(index, peer) })
  }
  for (const wire of torrent.wires) watch(wire)
  torrent.on('wire', watch)
  torrent.on('verified', (index: number) => { blame.verified(index) })
  torrent.on('warning', (warning: Error) => {
    const failed = /^Piece (\d+) failed verification$/.exec(warning.message)
    if (failed === null) return
    const guilty = blame.failed(Number(failed[1]))
    for (const wire of torrent.wires) if (wire.peerId !== null && guilty.includes(wire.peerId)) wire.destroy()
  })
  return blame
}

/** Every piece held: WebTorrent's bitfield, high bit first. */
function fullBitfield (pieceCount: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(pieceCount / 8)).fill(0xff)
  if (pieceCount % 8 !== 0) bits[bits.length - 1] = (0xff << (8 - pieceCount % 8)) & 0xff
  return bits
}

/** WebTorrent's upload rate: bytes per second, -1 for none. */
const uploadRate = (kibPerSecond: number): number => kibPerSecond > 0 ? kibPerSecond * 1024 : -1

/** A memory store holding the handed-over pieces from the start (WebTorrent constructs it with `new`). */
function prefilledStore (pieces: Array<Uint8Array | null>): typeof MemoryChunkStore {
  return class PrefilledStore extends MemoryChunkStore {
    constructor (chunkLength: number, options?: object) {
      super(chunkLength, options)
      pieces.forEach((piece, index) => { if (piece !== null) this.chunks[index] = piece })
    }
  }
}

async function piecesOf (torrent: WebTorrentTorrent): Promise<Array<Uint8Array | null>> {
  const count = Math.ceil(torrent.length / torrent.pieceLength)
  return await Promise.all(Array.from({ length: count }, async (_, index) => await new Promise<Uint8Array | null>((resolve) => {
    if (!torrent.bitfield.get(index)) {
      resolve(null)
      return
    }
    torrent.store.get(index, (error, bytes) => { resolve(error === null && bytes !== undefined ? bytes : null) })
  })))
}

async function torrentIdOf (pointer: FoundPointer, context: FetchContext): Promise<string | Uint8Array> {
  if (pointer.kind === 'magnet') return pointer.magnet.uri
  if (pointer.kind === 'file') {
    const bytes = base64ToBytes(pointer.base64)
    if (bytes === null) throw new ProtocolError('torrent-unreadable', 'The stored torrent file is damaged.')
    return bytes
  }
  // Not cached: the origin may still serve the .torrent even while it fails pages.
  const fetched = await fetchTorrentFile(pointer.url, context)
  if (!fetched.ok) throw fetched.error
  return fetched.value
}

const okValue = <T>(result: { ok: true, value: T } | { ok: false }): T | undefined => result.ok ? result.value : undefined
