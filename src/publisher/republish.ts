// Publishing again: a torrent whose inputs did not change since the last run in the same output
// directory (the same files, sizes and modification times, trackers, web seeds and piece length)
// is taken as it is, not hashed again; what changed is named, with the order that keeps readers
// safe while it rolls out (docs/protocol.md, Pinning).
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import parseTorrent, { toMagnetURI } from 'parse-torrent'
import type { MadeTorrent } from './make-torrent'
import type { SiteFile } from './site-scan'

export interface Earlier { fingerprint: string, infoHash: string }

/** What a torrent is made of: any change to it makes another torrent. */
export async function fingerprint (files: SiteFile[], made: { announce: string[], webSeeds: string[], pieceLength?: number, name: string }): Promise<string> {
  const stamped = await Promise.all(files.map(async (file) => [file.path, file.length, (await stat(file.diskPath)).mtimeMs]))
  return createHash('sha256').update(JSON.stringify({ stamped, ...made, pieceLength: made.pieceLength ?? null })).digest('hex')
}

/** The earlier run's torrents in this output directory, by torrent path. */
export async function earlierRun (outDir: string, manifestName: string): Promise<Map<string, Earlier>> {
  const text = await readFile(join(outDir, manifestName), 'utf8').catch(() => null)
  if (text === null) return new Map()
  try {
    const manifest = JSON.parse(text) as { torrents?: Array<{ torrentPath?: unknown, infoHash?: unknown, fingerprint?: unknown }> }
    return new Map((manifest.torrents ?? []).flatMap((entry) =>
      typeof entry.torrentPath === 'string' && typeof entry.infoHash === 'string' && typeof entry.fingerprint === 'string'
        ? [[entry.torrentPath, { infoHash: entry.infoHash, fingerprint: entry.fingerprint }] as const]
        : []))
  } catch {
    return new Map()
  }
}

/** The earlier torrent, if its inputs are the same and its file is still there as it was written. */
export async function reuse (outDir: string, torrentPath: string, earlier: Earlier | undefined, print: string): Promise<MadeTorrent | null> {
  if (earlier?.fingerprint !== print) return null
  const bytes = await readFile(join(outDir, torrentPath)).catch(() => null)
  if (bytes === null) return null
  const parsed = await parseTorrent(new Uint8Array(bytes)).catch(() => null) as { infoHash: string, files: unknown[] } | null
  if (parsed?.infoHash !== earlier.infoHash) return null
  return { torrentFile: new Uint8Array(bytes), infoHash: parsed.infoHash, magnetUri: toMagnetURI(parsed), singleFile: parsed.files.length === 1 }
}

/**
 * The order that keeps readers safe while a change rolls out: readers pin the torrent an HTTPS
 * response named for a page and do not silently believe a DNS answer that names another, so the
 * headers (and the torrents they name) go first, DNS after.
 */
export const SAFE_ORDER = [
  'Upload the new torrents (<out>/torrents/) next to the old ones.',
  'Deploy the new header snippets: readers who revisit learn the new torrents.',
  'Then replace the DNS records with the new _torrent.zone (readers who pinned an old torrent trust DNS again once they have seen the new headers).',
  'Restart `peerback seed <out>` so it seeds the new torrents; keep the old ones a while for readers who still have old pointers.'
]
