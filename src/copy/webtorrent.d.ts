// The parts of the WebTorrent browser bundle (vendor/webtorrent.min.js) the viewer uses.
export interface WebTorrentFile {
  path: string
  length: number
  /** Share of the file's pieces here, 0 to 1. */
  progress: number
  arrayBuffer: () => Promise<ArrayBuffer>
  /** The file's bytes in order, from the store as each piece is verified (its pieces go first). */
  [Symbol.asyncIterator]: () => AsyncIterator<Uint8Array>
}

export interface WebTorrentWire {
  /** The remote peer's id, hex; known once its handshake is in (as every 'wire' event's is). */
  peerId: string | null
  choke: () => void
  unchoke: () => void
  destroy: () => void
  /** Tells the peer this client has piece `index` now. */
  have: (index: number) => void
  on: (event: 'piece', listener: (index: number) => void) => void
}

export interface WebTorrentTorrent {
  wires: WebTorrentWire[]
  infoHash: string
  magnetURI: string
  name: string
  files: WebTorrentFile[]
  length: number
  pieceLength: number
  bitfield: { get: (index: number) => boolean }
  store: { get: (index: number, callback: (error: Error | null, bytes?: Uint8Array) => void) => void }
  torrentFile: Uint8Array
  created?: Date
  downloaded: number
  /** Bytes received from peers and web seeds (pieces handed over from the prefetch host are not). */
  received: number
  uploaded: number
  progress: number
  numPeers: number
  downloadSpeed: number
  uploadSpeed: number
  done: boolean
  /** WebTorrent's peer discovery; its tracker client announces on `update()`. */
  discovery?: { tracker?: { update: () => void } | null }
  on: (event: string, listener: (...args: never[]) => void) => void
  once: (event: string, listener: (...args: never[]) => void) => void
}

/**
 * What mirror-ranges.ts reaches inside a torrent (WebTorrent 3.0's lib/torrent.js) to store a piece
 * it checked itself, as WebTorrent does with a piece from a peer.
 */
export interface WebTorrentInternals extends WebTorrentTorrent {
  ready: boolean
  destroyed: boolean
  /** Piece i's download state; null once it is verified. */
  pieces: unknown[]
  /** Piece i's SHA-1, hex. */
  _hashes: string[]
  store: WebTorrentTorrent['store'] & { put: (index: number, bytes: Uint8Array, callback: (error?: Error | null) => void) => void }
  _markVerified: (index: number) => void
  _checkDone: () => boolean
  _update: () => void
}

export interface WebTorrentClient {
  add: (torrentId: string | Uint8Array, options: object, onTorrent?: (torrent: WebTorrentTorrent) => void) => WebTorrentTorrent
  on: (event: string, listener: (...args: never[]) => void) => void
  throttleUpload: (bytesPerSecond: number) => void
  destroy: (callback?: () => void) => void
}

export type WebTorrentConstructor = new (options: object) => WebTorrentClient
