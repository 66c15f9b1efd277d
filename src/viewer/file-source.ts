// A file the viewer shows or saves, wherever its bytes come from (peers, or a mirror's verified
// download): read in order, chunk by chunk, so nothing has to be held whole to be hashed.
import type { WebTorrentFile } from '../copy/webtorrent'

export interface FileSource {
  /** Its path in the torrent, or the mirror's URL path. */
  readonly path: string
  readonly length: number
  /** 0 to 1. */
  progress: () => number
  /** The bytes from the start; from peers, the pieces needed next are asked for first. */
  chunks: () => AsyncIterable<Uint8Array>
}

export function torrentFileSource (file: WebTorrentFile): FileSource {
  return {
    path: file.path,
    length: file.length,
    progress: () => file.progress,
    chunks: () => ({ [Symbol.asyncIterator]: () => file[Symbol.asyncIterator]() })
  }
}

export function bytesSource (path: string, parts: Uint8Array[]): FileSource {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  return {
    path,
    length,
    progress: () => 1,
    // eslint-disable-next-line @typescript-eslint/require-await -- bytes already in memory, as the async iterable every source is
    chunks: async function * () { yield * parts }
  }
}
