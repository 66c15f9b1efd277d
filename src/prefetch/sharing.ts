// Sharing the pages a reader keeps (settings.keepSharing) after their tabs closed: each kept
// torrent is added from its pieces on disk (copy/kept-store.ts) and seeded for as long as this
// host is open. The background says what to share and when to stop (background/keep-sharing.ts);
// this page cannot read storage, so it reports what it uploaded, and hears back how much more it may
// upload today. A page read while its site was healthy is fetched here first, when the background
// found its swarm thin.
import { platform } from '@platform'
import { dropKept, keptOnDisk } from '../copy/kept-folders'
import { openPeerCopy, type PeerCopy } from '../copy/peer-copy'
import type { FoundPointer } from '../lib/discovery'
import type { KeptTorrent } from '../lib/kept'
import { send } from '../lib/messages'
import type { Settings } from '../lib/settings'
import { bytesToBase64 } from '../protocol/base64'

/** How often the host says what it uploaded (and hears how much more it may). */
const REPORT_EVERY_MS = 60_000
/** A page fetched to keep that is not all here by then is dropped. */
const WARM_TIMEOUT_MS = 120_000

const shared = new Map<string, Promise<PeerCopy | null>>()
const warming = new Set<string>()
/** Bytes uploaded by copies no longer open, and bytes already reported. */
let uploadedByClosed = 0
let reported = 0
let exhausted = false
let reporter: ReturnType<typeof setInterval> | null = null
/** Ends platform.keepHostAwake while anything is shared or fetched to keep. */
let asleep: (() => void) | null = null
const awake = (): void => {
  if (shared.size > 0) asleep ??= platform.keepHostAwake()
  else {
    asleep?.()
    asleep = null
  }
}
/** What the background last asked to share, to open again on a new day's budget. */
let latest: { torrents: KeptTorrent[], settings: Settings | null } = { torrents: [], settings: null }

const warn = (message: string): void => { console.warn(`Peerback: ${message}`) }

async function open (torrent: KeptTorrent, settings: Settings): Promise<PeerCopy | null> {
  try {
    const copy = await openPeerCopy(torrent.page, { kind: 'file', base64: torrent.torrentFile, infoHash: torrent.infoHash }, settings, true, null, [], 'share')
    if (exhausted) copy.stopUploading()
    copy.onFailure((error) => { warn(`stopped sharing ${torrent.page}: ${error.message}`) })
    return copy
  } catch (error) {
    warn(`could not share ${torrent.page}: ${error instanceof Error ? error.message : String(error)}`)
    return null
  }
}

async function close (infoHash: string): Promise<void> {
  const copy = await shared.get(infoHash)
  shared.delete(infoHash)
  if (copy == null) return
  uploadedByClosed += copy.torrent.uploaded
  copy.destroy()
}

/** Shares these kept torrents (those already shared stay as they are); `only`: these and no others, and nothing else stays on disk. */
export async function share (torrents: KeptTorrent[], settings: Settings, uploadLeft: number, only: boolean): Promise<void> {
  latest = { torrents: only ? torrents : [...latest.torrents.filter((kept) => !torrents.some((torrent) => torrent.infoHash === kept.infoHash)), ...torrents], settings }
  exhausted = uploadLeft <= 0
  if (only) {
    const wanted = new Set(torrents.map((torrent) => torrent.infoHash))
    for (const infoHash of [...shared.keys()]) if (!wanted.has(infoHash) && !warming.has(infoHash)) await unshare([infoHash])
    for (const infoHash of await keptOnDisk()) if (!wanted.has(infoHash) && !warming.has(infoHash)) await dropKept(infoHash)
  }
  for (const torrent of torrents) if (!shared.has(torrent.infoHash)) shared.set(torrent.infoHash, open(torrent, settings))
  awake()
  reporter ??= setInterval(() => { void report() }, REPORT_EVERY_MS)
}

/** Stops sharing these and deletes their pieces. */
export async function unshare (infoHashes: string[]): Promise<void> {
  for (const infoHash of infoHashes) {
    await close(infoHash)
    await dropKept(infoHash)
    latest.torrents = latest.torrents.filter((torrent) => torrent.infoHash !== infoHash)
  }
  awake()
}

async function uploadedNow (): Promise<{ bytes: number, peers: number }> {
  const copies = (await Promise.all(shared.values())).filter((copy) => copy !== null)
  return {
    bytes: uploadedByClosed + copies.reduce((sum, copy) => sum + copy.torrent.uploaded, 0),
    peers: copies.reduce((sum, copy) => sum + copy.torrent.numPeers, 0)
  }
}

/** What is shared now: readers connected, and bytes uploaded since the host opened. */
export async function stats (): Promise<{ peers: number, uploaded: number }> {
  const { bytes, peers } = await uploadedNow()
  return { peers, uploaded: bytes }
}

/** Says what was uploaded since the last report; past the day's budget every copy stops uploading until the next day's. */
async function report (): Promise<void> {
  const { bytes } = await uploadedNow()
  const { left } = await send('background', 'sharedUpload', { bytes: bytes - reported }).catch(() => ({ left: 1 }))
  reported = bytes
  if (left <= 0 && !exhausted) {
    exhausted = true
    for (const copy of await Promise.all(shared.values())) copy?.stopUploading()
  } else if (left > 0 && exhausted) {
    // A new day: the copies are opened again from disk, uploading.
    exhausted = false
    const { torrents, settings } = latest
    for (const infoHash of [...shared.keys()]) await close(infoHash)
    if (settings !== null) await share(torrents, settings, left, false)
  }
}

/**
 * Fetches a page read while its site was healthy, to keep (the background found its swarm thin);
 * says the background when it is all here, checked. 'unknown' when it is held or fetched already.
 */
export function warm (page: string, pointer: FoundPointer, mirrors: string[], settings: Settings): 'fetching' | 'unknown' {
  const infoHash = pointer.kind === 'magnet' ? pointer.magnet.infoHash : pointer.kind === 'file' ? pointer.infoHash : null
  if (infoHash === null || shared.has(infoHash) || warming.has(infoHash)) return 'unknown'
  warming.add(infoHash)
  void fetchToKeep(page, pointer, mirrors, settings, infoHash).finally(() => { warming.delete(infoHash) })
  return 'fetching'
}

async function fetchToKeep (page: string, pointer: FoundPointer, mirrors: string[], settings: Settings, infoHash: string): Promise<void> {
  const opening = openPeerCopy(page, pointer, settings, true, null, mirrors, 'fetch').catch(() => null)
  shared.set(infoHash, opening)
  awake()
  const copy = await opening
  // Not kept after all: its pieces go, unless the copy was kept meanwhile some other way (a viewer's).
  const given = async (): Promise<void> => {
    if (shared.get(infoHash) === opening) await unshare([infoHash])
    if (shared.size === 0) await send('background', 'sharingIdle', {}).catch(() => {})
  }
  if (copy === null) {
    await given()
    return
  }
  await copy.settled(WARM_TIMEOUT_MS)
  if (!copy.torrent.done || shared.get(infoHash) !== opening) {
    await given()
    return
  }
  if (exhausted) copy.stopUploading()
  const torrentFile = bytesToBase64(copy.torrent.torrentFile)
  latest.torrents.push({ infoHash, page, torrentFile })
  const kept = await send('background', 'keep', { infoHash, page, torrentFile, bytes: copy.torrent.length, how: 'warmed' }).catch(() => false)
  if (!kept) await given()
}
