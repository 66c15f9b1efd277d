// On a healthy main-frame response: remember what its headers say about copies of the page, and
// fetch a small .torrent it points to now, while the site can still serve it.
import { bytesToBase64 } from '../protocol/base64'
import { withoutFragment } from '../protocol/format'
import { pickPointerHeaders, readPointers, type RawHeader, type TorrentPointer } from '../protocol/pointer-headers'
import { readTorrentFile } from '../protocol/torrent-file'
import { type TorrentLimits } from '../protocol/torrent-limits'
import type { PointerCache } from './pointer-cache'
import { fetchTorrentFile } from '../lib/torrent-fetch'
import type { FetchContext } from '../protocol/fetch-policy'

/** A cached .torrent is fetched again after this long, so a republished site is not served stale. */
export const TORRENT_FILE_MAX_AGE_MS = 6 * 60 * 60 * 1000

export interface RememberDeps {
  cache: PointerCache
  /** Read only when there is a torrent file to check. */
  limits: () => Promise<TorrentLimits>
  /** What a fetch on the page's word may reach (lib/site-fetch.ts). */
  fetchContext: (page: string) => Promise<FetchContext>
  fetch?: typeof fetch
  now?: () => number
  /** A single bad header or torrent is a warning that names its URL, never a failure. */
  warn: (message: string) => void
}

/** Remembers the pointers of a response; false when it had none. */
export async function rememberPointers (url: string, headers: RawHeader[], deps: RememberDeps): Promise<boolean> {
  const picked = pickPointerHeaders(headers)
  if (picked === null) return false
  const pointers = readPointers(picked, url)
  for (const problem of pointers.problems) deps.warn(`${url}: ${problem.message}`)
  if (pointers.torrents.length === 0 && pointers.mirrors.length === 0) return false
  const now = deps.now ?? Date.now
  const modifiedAt = Date.parse(headers.find((header) => header.name.toLowerCase() === 'last-modified')?.value ?? '')
  await deps.cache.remember({
    url: withoutFragment(url),
    torrents: pointers.torrents,
    mirrors: pointers.mirrors,
    digests: pointers.digests,
    secure: url.startsWith('https:'),
    seenAt: now(),
    ...(Number.isFinite(modifiedAt) && { modifiedAt })
  })

  const first = pointers.torrents[0]
  if (first?.kind === 'url') await keepTorrentFile(first.url, url, deps)
  if (url.startsWith('https:')) await pinTorrents(withoutFragment(url), pointers.torrents, deps.cache, now())
  return true
}

/** What an HTTPS response named for its page, by info hash: a later DNS answer must agree with it. */
async function pinTorrents (url: string, torrents: TorrentPointer[], cache: PointerCache, seenAt: number): Promise<void> {
  const known = await Promise.all(torrents.map(async (torrent) =>
    torrent.kind === 'magnet' ? torrent.magnet.infoHash : (await cache.torrentFile(torrent.url))?.infoHash ?? null))
  const infoHashes = known.filter((infoHash) => infoHash !== null)
  if (infoHashes.length > 0) await cache.rememberPin({ url, infoHashes, seenAt })
}

async function keepTorrentFile (url: string, page: string, deps: RememberDeps): Promise<void> {
  const now = deps.now ?? Date.now
  const cached = await deps.cache.torrentFile(url)
  if (cached !== null && now() - cached.fetchedAt < TORRENT_FILE_MAX_AGE_MS) return
  const bytes = await fetchTorrentFile(url, await deps.fetchContext(page), deps.fetch)
  if (!bytes.ok) { deps.warn(bytes.error.message); return }
  const torrent = await readTorrentFile(bytes.value, await deps.limits())
  if (!torrent.ok) { deps.warn(`${url}: ${torrent.error.message}`); return }
  await deps.cache.rememberTorrentFile({ url, base64: bytesToBase64(bytes.value), infoHash: torrent.value.infoHash, fetchedAt: now() })
}
