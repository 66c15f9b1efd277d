// What `peerback seed` verified last time, kept in the output directory (never in the site's):
// a torrent whose files have the same sizes and modification times as when it was last verified
// is seeded again without hashing every piece (`skipVerify`); any change, and it is verified.
import { createHash } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const STATE_NAME = '.peerback-seed-state.json'

export type SeedState = Record<string, { infoHash: string, print: string }>

export async function readState (outDir: string): Promise<SeedState> {
  const text = await readFile(join(outDir, STATE_NAME), 'utf8').catch(() => null)
  if (text === null) return {}
  try {
    const state = JSON.parse(text) as unknown
    return typeof state === 'object' && state !== null && !Array.isArray(state) ? state as SeedState : {}
  } catch {
    return {}
  }
}

export async function writeState (outDir: string, state: SeedState): Promise<void> {
  await writeFile(join(outDir, STATE_NAME), `${JSON.stringify(state, null, 2)}\n`)
}

/** The files as they are on disk now: paths, sizes and modification times. */
export async function filesPrint (diskPaths: string[]): Promise<string | null> {
  try {
    const stamped = await Promise.all(diskPaths.map(async (path) => { const info = await stat(path); return [path, info.size, info.mtimeMs] }))
    return createHash('sha256').update(JSON.stringify(stamped)).digest('hex')
  } catch {
    return null // a file is missing: verifying will say so
  }
}
