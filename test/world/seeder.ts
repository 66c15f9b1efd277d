// A Node peer with real WebRTC (the webrtc-polyfill override, see src/publisher/webrtc-polyfill):
// seeds files to browsers through a local tracker. Nothing but loopback is ever announced to.
import { basename } from 'node:path'
import MemoryChunkStore from 'memory-chunk-store'
import WebTorrent, { type ClientOptions, type Torrent } from 'webtorrent'
import { nodeClientOptions } from '../../src/publisher/node-client.ts'

/** Client options that keep a Node peer off every network but the tracker's. */
export const loopbackClientOptions = (): ClientOptions => nodeClientOptions({ stun: false })

export interface Seeder {
  readonly torrent: Torrent
  readonly infoHash: string
  readonly magnetURI: string
  /** The .torrent file's bytes. */
  readonly torrentFile: Uint8Array
  /** Peer errors and warnings seen; a test fails on ones it did not expect. */
  readonly problems: string[]
  stop: () => Promise<void>
}

export interface SeedOptions {
  /** A directory (a multi-file torrent named after it) or a list of files. */
  input: string | string[]
  /** Explicit, always: WebTorrent adds public trackers when none are given. */
  announce: string[]
  name?: string
  pieceLength?: number
  /** Bytes per second, for tests that need a download to take a while. */
  uploadLimit?: number
}

export async function startSeeder (options: SeedOptions): Promise<Seeder> {
  if (options.announce.length === 0) throw new Error('startSeeder: give at least one tracker to announce to')
  // WebTorrent reads a seeded folder's files back under the torrent's name: another name than the
  // folder's leaves it with nothing to serve, silently.
  if (typeof options.input === 'string' && options.name !== undefined && options.name !== basename(options.input)) {
    throw new Error(`startSeeder: the torrent name "${options.name}" must be the folder's name "${basename(options.input)}"`)
  }
  const client = new WebTorrent({ ...loopbackClientOptions(), ...(options.uploadLimit !== undefined && { uploadLimit: options.uploadLimit }) })
  const problems: string[] = []
  client.on('error', (error: Error) => problems.push(`client error: ${error.message}`))

  const torrent = await new Promise<Torrent>((resolve, reject) => {
    client.once('error', reject)
    client.seed(options.input, {
      announce: options.announce,
      ...(options.name !== undefined && { name: options.name }),
      ...(options.pieceLength !== undefined && { pieceLength: options.pieceLength })
    }, (seeded) => { client.off('error', reject); resolve(seeded) })
  })
  torrent.on('error', (error: Error) => problems.push(`torrent error: ${error.message}`))
  return seederOf(client, torrent, problems)
}

/**
 * A hostile peer (issue 8, case 1): it has the honest seeder's torrent, claims every piece, and
 * sends the pieces `lies` picks with their first byte flipped, so they fail their hash.
 */
export async function startLiar (honest: Seeder, options: { announce: string[], lies: (index: number) => boolean }): Promise<Seeder> {
  const store = (honest.torrent as unknown as { store: { get: (index: number, callback: (error: Error | null, bytes: Uint8Array) => void) => void } }).store
  const count = (honest.torrent as unknown as { pieces: unknown[] }).pieces.length
  const pieces = await Promise.all(Array.from({ length: count }, async (_, index) => await new Promise<Uint8Array>((resolve, reject) => {
    store.get(index, (error, bytes) => {
      if (error !== null) return reject(error)
      const piece = new Uint8Array(bytes)
      if (options.lies(index)) piece[0] = (piece[0] ?? 0) ^ 0xff
      resolve(piece)
    })
  })))
  class LyingStore extends MemoryChunkStore {
    constructor (chunkLength: number, storeOptions?: object) {
      super(chunkLength, storeOptions)
      pieces.forEach((piece, index) => { this.chunks[index] = piece })
    }
  }
  const client = new WebTorrent(loopbackClientOptions())
  const problems: string[] = []
  // skipVerify: it believes its own store, so it serves what it holds.
  const torrent = await new Promise<Torrent>((resolve) => {
    client.add(honest.torrentFile, { announce: options.announce, store: LyingStore, skipVerify: true }, resolve)
  })
  return seederOf(client, torrent, problems)
}

/** A running client's one torrent, as tests see a seeder; its warnings go to `problems`. */
function seederOf (client: WebTorrent, torrent: Torrent, problems: string[]): Seeder {
  torrent.on('warning', (error: Error) => problems.push(`warning: ${error.message}`))
  return {
    torrent,
    infoHash: torrent.infoHash,
    magnetURI: torrent.magnetURI,
    torrentFile: torrent.torrentFile,
    problems,
    async stop () {
      if ((client as { destroyed?: boolean }).destroyed === true) return
      await new Promise<void>((resolve) => client.destroy(() => resolve()))
    }
  }
}
