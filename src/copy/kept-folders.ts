// The folders of kept pages in the origin-private file system, kept/<info hash>/<piece>
// (kept-store.ts writes them): found, checked whole, deleted. No store library here: the
// background deletes folders too.

const ROOT = 'kept'

export const keptRoot = async (): Promise<FileSystemDirectoryHandle> =>
  await (await navigator.storage.getDirectory()).getDirectoryHandle(ROOT, { create: true })

/** Deletes a kept torrent's pieces; nothing happens for one that has none. */
export async function dropKept (infoHash: string): Promise<void> {
  await (await keptRoot()).removeEntry(infoHash, { recursive: true }).catch(() => {})
}

/**
 * Whether every piece of a kept torrent is on disk: then it is shared as it is, without reading
 * 5 MB back to hash it (its pieces were checked before they were written, and every reader checks
 * each piece it gets). A piece file is written whole or not at all (createWritable swaps it in on close).
 */
export async function keptWhole (infoHash: string, pieceCount: number): Promise<boolean> {
  try {
    const folder = (await (await keptRoot()).getDirectoryHandle(infoHash)) as FileSystemDirectoryHandle & { values: () => AsyncIterable<FileSystemHandle> }
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
  const entries = (await keptRoot()) as FileSystemDirectoryHandle & { keys: () => AsyncIterable<string> }
  for await (const name of entries.keys()) names.push(name)
  return names
}
