// The pieces of the pages a reader keeps sharing (settings.keepSharing), on disk in the
// origin-private file system: one folder per torrent, kept/<info hash>/, one file per piece, through
// the store WebTorrent itself uses in browsers (fsa-chunk-store). Only pieces WebTorrent has
// hash-checked go there, and a kept torrent added again checks every piece before it shares it.
import FSAChunkStore from 'fsa-chunk-store'
import { keptRoot } from './kept-folders'

/**
 * WebTorrent's `store` for a kept torrent. WebTorrent hands a store the torrent's files too; with
 * them fsa-chunk-store writes each file out as well and keeps the pieces in a folder it empties, so
 * they are left out: the pieces themselves are what is kept.
 */
export class KeptStore extends FSAChunkStore {
  constructor (chunkLength: number, options: { torrent: { infoHash: string }, length: number }) {
    super(chunkLength, { rootDir: keptRoot(), name: options.torrent.infoHash, length: options.length })
  }
}

/** Writes a torrent's pieces (all of them, already checked) where a kept torrent reads them. */
export async function writeKept (infoHash: string, pieceLength: number, pieces: Uint8Array[]): Promise<void> {
  const length = pieces.reduce((sum, piece) => sum + piece.byteLength, 0)
  const store = new FSAChunkStore(pieceLength, { rootDir: keptRoot(), name: infoHash, length })
  for (const [index, piece] of pieces.entries()) {
    const error = await store.put(index, piece)
    if (error !== null) throw error
  }
  await new Promise<void>((resolve) => { void store.close(() => { resolve() }) })
}
