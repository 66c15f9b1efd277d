// Pre-warming (a setting, off by default): on a healthy visit to a page that sent no pointer
// headers, look its `_torrent` records up now, so a later failure needs no lookup at all. Off,
// Peerback asks DNS nothing until a page fails.
import type { FoundTorrent } from '../lib/discovery'
import { lookupTorrentRecords, type DiscoveryDeps } from './discovery'

/** A page is looked up again at most this often. */
export const PREWARM_INTERVAL_MS = 60 * 60 * 1000

export async function prewarm (url: string, deps: DiscoveryDeps & { warn: (message: string) => void }): Promise<void> {
  const now = deps.now ?? Date.now
  const last = await deps.cache.prewarmedDns<FoundTorrent>(url)
  if (last !== null && now() - last.at < PREWARM_INTERVAL_MS) return
  const { torrent, problems } = await lookupTorrentRecords(url, deps)
  for (const problem of problems) if (problem.code !== 'ip-literal-host') deps.warn(`${url}: ${problem.message}`)
  await deps.cache.rememberDns({ url, found: torrent, at: now() })
}
