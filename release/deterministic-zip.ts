// The store packages, byte for byte the same from any clean checkout: the files in a fixed order
// (by path), each with the same fixed time and attributes, compressed by one pinned deflate.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { zipSync, type Zippable } from 'fflate'

/**
 * Every zip entry's time: SOURCE_DATE_EPOCH (seconds) when set, else 1 January 2000, 00:00 UTC. A
 * zip stores local clock fields, which fflate reads from the Date in the machine's zone: the Date
 * returned holds the UTC fields as local ones, so every zone writes the same bytes.
 */
export function packageTime (env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = Number(env.SOURCE_DATE_EPOCH)
  const utc = new Date(Number.isSafeInteger(epoch) && epoch > 0 ? epoch * 1000 : Date.UTC(2000, 0, 1))
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds())
}

async function filesUnder (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
}

/** The zip of everything under `dir`, with paths relative to it. */
export async function deterministicZip (dir: string, time = packageTime()): Promise<Uint8Array> {
  // Sorted by code unit, not by locale: the same order on every machine.
  const paths = (await filesUnder(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const files: Zippable = {}
  for (const path of paths) files[path] = [await readFile(join(dir, path)), { mtime: time, level: 9, os: 3, attrs: 0o100644 << 16 }]
  return zipSync(files)
}
