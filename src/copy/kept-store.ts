// The pieces of the pages a reader keeps sharing (settings.keepSharing), on disk in the
// origin-private file system: one folder per torrent, kept/<info hash>/, one file per piece, through
// the store WebTorrent itself uses in browsers (fsa-chunk-store). Only pieces WebTorrent has
// hash-checked go there, and a kept torrent added again checks every piece before it shares it.
import FSAChunkStore from 'fsa-chunk-store'

const ROOT = 'kept'

const rootDir = async (): Promise<FileSystemDirectoryHandle> =>
  await (await navigator.storage.getDirectory()).getDirectoryHandle(ROOT, { create: true })

/**
 * WebTorrent's `store` for a kept torrent. WebTorrent hands a store the torrent's files too; with
 * them fsa-chunk-store writes each file out as well and keeps the pieces in a folder it empties, so
 * they are left out: the pieces themselves are what is kept.
 */
export class KeptStore extends FSAChunkStore {
  constructor (chunkLength: number, options: { torrent: { infoHash: string }, length: number }) {
    super(chunkLength, { rootDir: rootDir(), name: options.torrent.infoHash, length: options.length })
  }
}

/** Writes a torrent's pieces (all of them, already checked) where a kept torrent reads them. */
export async function writeKept (infoHash: string, pieceLength: number, pieces: Uint8Array[]): Promise<void> {
  const length = pieces.reduce((sum, piece) => sum + piece.byteLength, 0)
  const store = new FSAChunkStore(pieceLength, { rootDir: rootDir(), name: infoHash, length })
  for (const [index, piece] of pieces.entries()) {
    const error = await store.put(index, piece)
    if (error !== null) throw error
  }
  await new Promise<void>((resolve) => { void store.close(() => { resolve() }) })
}

/** Deletes a kept torrent's pieces; nothing happens for one that has none. */
export async function dropKept (infoHash: string): Promise<void> {
  await (await rootDir()).removeEntry(infoHash, { recursive: true }).catch(() => {})
}

/**
 * Whether every piece of a kept torrent is on disk: then it is shared as it is, without reading
 * 5 MB back to hash it (its pieces were checked before they were written, and every reader checks
 * each piece it gets). A piece file is written whole or not at all (createWritable swaps it in on close).
 */
export async function keptWhole (infoHash: string, pieceCount: number): Promise<boolean> {
  try {
    const folder = (await (await rootDir()).getDirectoryHandle(infoHash)) as FileSystemDirectoryHandle & { values: () => AsyncIterable<FileSystemHandle> }
    let whole = 0
    for await (const entry of folder.values()) {
      if (entry.kind === 'file' && /^\d+$/.test(entry.name) && Number(entry.name) < pieceCount && (await (entry as FileSystemFileHandle).getFile()).size > 0) whole++
    }
    return whole === pieceCount
  } catch {
    return false
  }
}

/** The info hashes that have pieces on disk. */
export async function keptOnDisk (): Promise<string[]> {
  const names: string[] = []
  // TypeScript's DOM library does not know a directory handle is async-iterable.
  const entries = (await rootDir()) as FileSystemDirectoryHandle & { keys: () => AsyncIterable<string> }
  for await (const name of entries.keys()) names.push(name)
  return names
}
