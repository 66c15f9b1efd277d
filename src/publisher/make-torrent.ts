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

export async function makeTorrent (spec: TorrentSpec): Promise<MadeTorrent> {
  if (spec.files.length === 0) throw new Error(`makeTorrent: ${spec.name} has no files`)
  const singleFile = spec.files.length === 1
  // `fullPath` under the torrent's name: create-torrent takes a shared first folder as the name.
  const inputs = await Promise.all(spec.files.map(async (file) =>
    Object.assign(await openAsBlob(file.diskPath), { fullPath: singleFile ? file.path.split('/').pop() : `${spec.name}/${file.path}` })))
  const torrentFile = await new Promise<Uint8Array>((resolve, reject) => {
    createTorrent(inputs, {
      ...(!singleFile && { name: spec.name }),
      announceList: spec.announce.map((url) => [url]),
      urlList: spec.webSeeds,
      createdBy: 'Peerback',
      filterJunkFiles: false,
      ...(spec.pieceLength !== undefined && { pieceLength: spec.pieceLength }),
      ...(spec.onProgress !== undefined && { onProgress: spec.onProgress })
    }, (error: Error | null, torrent: Uint8Array) => error !== null ? reject(error) : resolve(torrent))
  })
  const parsed = await parseTorrent(torrentFile)
  return { torrentFile, infoHash: parsed.infoHash as string, magnetUri: toMagnetURI(parsed), singleFile }
}
