// One .torrent from a list of site files, hashed from disk without reading the site into memory.
import { openAsBlob } from 'node:fs'
import createTorrent from 'create-torrent'
import parseTorrent, { toMagnetURI } from 'parse-torrent'
import type { SiteFile } from './site-scan'

export interface TorrentSpec {
  /** Multi-file: the folder name BEP 19 web seeds put between their URL and each file's path. */
  name: string
  files: SiteFile[]
  /** Explicit, always: create-torrent (and WebTorrent) add public trackers to a torrent without. */
  announce: string[]
  webSeeds: string[]
  pieceLength?: number
  onProgress?: (hashedBytes: number, totalBytes: number) => void
}

export interface MadeTorrent {
  torrentFile: Uint8Array
  infoHash: string
  magnetUri: string
  /** Single-file torrents are named after their file, whatever the spec's name. */
  singleFile: boolean
}

/** From this much content on, pieces are at least LARGE_PIECE bytes. */
const LARGE_CONTENT = 8 * 1024 * 1024
const LARGE_PIECE = 256 * 1024

/**
 * create-torrent aims at about 1 000 pieces, so a 20 MB file gets 16 KiB ones; a web seed (the
 * origin, a mirror) is asked for one piece per request, which makes it serve large files at a
 * fraction of its speed (20 MB from a seeder and two mirrors: 3.6 MiB/s with 16 KiB pieces, 7.0 with
 * 256 KiB; docs/benchmarks.md). Pages stay in small pieces: their first byte comes sooner.
 */
export function pieceLengthFor (totalBytes: number): number | undefined {
  if (totalBytes < LARGE_CONTENT) return undefined // create-torrent's own choice
  const aimed = 2 ** Math.round(Math.log2(totalBytes / 1024))
  return Math.max(LARGE_PIECE, aimed)
}

export async function makeTorrent (spec: TorrentSpec): Promise<MadeTorrent> {
  if (spec.files.length === 0) throw new Error(`makeTorrent: ${spec.name} has no files`)
  const singleFile = spec.files.length === 1
  // `fullPath` under the torrent's name: create-torrent takes a shared first folder as the name.
  const inputs = await Promise.all(spec.files.map(async (file) =>
    Object.assign(await openAsBlob(file.diskPath), { fullPath: singleFile ? file.path.split('/').pop() : `${spec.name}/${file.path}` })))
  const pieceLength = spec.pieceLength ?? pieceLengthFor(inputs.reduce((sum, input) => sum + input.size, 0))
  const torrentFile = await new Promise<Uint8Array>((resolve, reject) => {
    createTorrent(inputs, {
      ...(!singleFile && { name: spec.name }),
      announceList: spec.announce.map((url) => [url]),
      urlList: spec.webSeeds,
      createdBy: 'Peerback',
      filterJunkFiles: false,
      ...(pieceLength !== undefined && { pieceLength }),
      ...(spec.onProgress !== undefined && { onProgress: spec.onProgress })
    }, (error: Error | null, torrent: Uint8Array) => error !== null ? reject(error) : resolve(torrent))
  })
  const parsed = await parseTorrent(torrentFile) as { infoHash: string }
  return { torrentFile, infoHash: parsed.infoHash, magnetUri: toMagnetURI(parsed), singleFile }
}
