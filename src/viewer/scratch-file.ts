// A file of the viewer's own in the origin-private file system, written as a download arrives, so
// the file is not held in memory a second time beside the copy being seeded.
import browser from 'webextension-polyfill'

const SCRATCH_MAX_AGE_MS = 24 * 60 * 60 * 1000
const WRITE_BATCH_BYTES = 4 * 1024 * 1024

export interface ScratchFile {
  write: (chunk: Uint8Array) => Promise<void>
  /** The file as written (disk-backed). */
  close: () => Promise<File>
  remove: () => Promise<void>
}

/**
 * A file of this page's own in the origin-private file system; null where there is none, and in a
 * private window, whose downloads must leave nothing on disk but the saved file itself.
 */
export async function scratchFile (name: string): Promise<ScratchFile | null> {
  if (browser.extension.inIncognitoContext) return null
  try {
    const root = await navigator.storage.getDirectory()
    // What a viewer closed mid-download left behind, a day or more ago (a younger one may be another
    // tab's download in progress).
    for await (const entry of (root as unknown as { keys: () => AsyncIterable<string> }).keys()) {
      const started = /^peerback-(\d+)-/.exec(entry)?.[1]
      if (started !== undefined && Date.now() - Number(started) > SCRATCH_MAX_AGE_MS) await root.removeEntry(entry).catch(() => {})
    }
    const scratchName = `peerback-${Date.now()}-${crypto.randomUUID()}-${name}`
    const handle = await root.getFileHandle(scratchName, { create: true })
    const writable = await handle.createWritable()
    // Pieces are small (16 KiB for a 20 MB file): written a few MiB at a time, not one call each.
    let pending: Uint8Array[] = []
    let pendingBytes = 0
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return
      const batch = concat(pending)
      pending = []
      pendingBytes = 0
      await writable.write(batch as Uint8Array<ArrayBuffer>)
    }
    return {
      write: async (chunk) => {
        pending.push(chunk)
        pendingBytes += chunk.length
        if (pendingBytes >= WRITE_BATCH_BYTES) await flush()
      },
      close: async () => {
        await flush()
        await writable.close()
        return await handle.getFile()
      },
      remove: async () => {
        await writable.close().catch(() => {}) // already closed, or closing after a failure
        await root.removeEntry(scratchName).catch(() => {})
      }
    }
  } catch {
    return null
  }
}

/** The parts as one array. */
export function concat (parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    whole.set(part, at)
    at += part.length
  }
  return whole
}
