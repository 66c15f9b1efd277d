// The tab's WebTorrent client: adds the copy's torrent, checks it against the limits as soon as
// its metadata is known, and gives out its files by site path. In memory only, gone with the tab.
import browser from 'webextension-polyfill'
import MemoryChunkStore from 'memory-chunk-store'
import type { FoundPointer } from '../background/discovery'
import { fetchTorrentFile } from '../background/torrent-fetch'
import type { Settings } from '../lib/settings'
import { base64ToBytes } from '../protocol/base64'
import { ProtocolError } from '../protocol/errors'
import { readTorrentFile } from '../protocol/torrent-file'
import { fileForPath } from '../protocol/torrent-paths'
import type { WebTorrentClient, WebTorrentConstructor, WebTorrentFile, WebTorrentTorrent, WebTorrentWire } from './webtorrent'

export interface PeerCopy {
  readonly torrent: WebTorrentTorrent
  /** The bytes of the file serving a site path, or null when the torrent has none. */
  file: (path: string, exactOnly?: boolean) => Promise<{ path: string, bytes: ArrayBuffer } | null>
  stopUploading: () => void
  destroy: () => void
}

export async function openPeerCopy (pointer: FoundPointer, settings: Settings): Promise<PeerCopy> {
  const torrentId = await torrentIdOf(pointer)
  // Loaded only now: a tab that never needs a copy never pays for the 220 KB bundle.
  const { default: WebTorrent } = await import(/* @vite-ignore */ browser.runtime.getURL('vendor/webtorrent.min.js')) as { default: WebTorrentConstructor }
  const client: WebTorrentClient = new WebTorrent({
    tracker: { rtcConfig: { iceServers: settings.iceServers.map((urls) => ({ urls })) } }
  })
  const torrent = await new Promise<WebTorrentTorrent>((resolve, reject) => {
    client.on('error', (error: Error) => reject(new ProtocolError('torrent-unreadable', `The copy could not be opened: ${error.message}.`)))
    const added = client.add(torrentId, { store: MemoryChunkStore, destroyStoreOnDestroy: true })
    // A bad peer or tracker is a warning, not a failure: it is named and skipped (devtools console).
    added.on('warning', (warning: Error) => { console.warn(`Peerback: ${warning.message}`) })
    added.once('metadata', () => resolve(added))
    if ((added as { metadata?: unknown }).metadata != null) resolve(added)
  }).catch((error: unknown) => { client.destroy(); throw error })

  // Magnets bring their metadata from peers: check it as strictly as a .torrent from anywhere.
  const checked = await readTorrentFile(torrent.torrentFile, { maxTotalBytes: settings.maxCopyBytes })
  if (!checked.ok) {
    client.destroy()
    throw checked.error
  }
  const valid = checked.value
  const byPath = new Map<string, WebTorrentFile>()
  for (const file of torrent.files) byPath.set(valid.multiFile ? file.path.slice(valid.name.length + 1) : file.path, file)

  return {
    torrent,
    async file (path, exactOnly = false) {
      const entry = exactOnly ? valid.files.find((file) => file.path === decodePath(path)) : okValue(fileForPath(valid, path))
      const file = entry === undefined ? undefined : byPath.get(entry.path)
      if (entry === undefined || file === undefined) return null
      return { path: entry.path, bytes: await file.arrayBuffer() }
    },
    stopUploading: () => {
      // Choke every peer, now and later: a choked peer's requests go unanswered (BEP 3). An upload
      // throttle of 0 would also hold back this tab's own requests, and so its download.
      const refuse = (wire: WebTorrentWire): void => {
        wire.choke()
        wire.unchoke = () => {}
      }
      for (const wire of torrent.wires) refuse(wire)
      torrent.on('wire', refuse)
    },
    destroy: () => { client.destroy() }
  }
}

async function torrentIdOf (pointer: FoundPointer): Promise<string | Uint8Array> {
  if (pointer.kind === 'magnet') return pointer.magnet.uri
  if (pointer.kind === 'file') {
    const bytes = base64ToBytes(pointer.base64)
    if (bytes === null) throw new ProtocolError('torrent-unreadable', 'The stored torrent file is damaged.')
    return bytes
  }
  // Not cached: the origin may still serve the .torrent even while it fails pages.
  const fetched = await fetchTorrentFile(pointer.url)
  if (!fetched.ok) throw fetched.error
  return fetched.value
}

const okValue = <T>(result: { ok: true, value: T } | { ok: false }): T | undefined => result.ok ? result.value : undefined

function decodePath (path: string): string {
  try {
    return decodeURIComponent(path.replace(/^\/+/, ''))
  } catch {
    return path.replace(/^\/+/, '')
  }
}
