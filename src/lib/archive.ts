// When nothing is published: a web archive's snapshot of the page. The archive is the reader's
// choice (settings: "Web archive", https://archive.org by default) and is asked only when the
// reader clicks "Open an archived copy", or when a page with no copy fails and "Look for archived
// copies automatically" is on: it then learns the page's address. Its answer is hostile like any
// other: read within bounds, and only an http(s) snapshot address is ever followed.
import { judgeFetch } from '../protocol/fetch-policy'
import type { Settings } from './settings'
import { readBody, siteFetch } from './site-fetch'

export type ArchiveAnswer =
  | { kind: 'found', url: string, /** When the snapshot was taken (epoch ms), when the archive says. */ takenAt: number | null }
  | { kind: 'none' }
  | { kind: 'unreachable', why: string }

/** Far more than an availability answer ever holds. */
const MAX_ANSWER_BYTES = 64 * 1024
const STALL_MS = 10_000

/** The availability API's address for a page: `<archive>/wayback/available?url=<page>`. */
export function availabilityUrl (archiveUrl: string, page: string): string {
  return `${archiveUrl.replace(/\/+$/, '')}/wayback/available?url=${encodeURIComponent(page)}`
}

/** Whether `url` is the archive's own (its pages are never looked up in it again). */
export function isArchivePage (url: string, archiveUrl: string): boolean {
  if (!URL.canParse(url) || !URL.canParse(archiveUrl)) return false
  const host = new URL(url).hostname
  const archive = new URL(archiveUrl).hostname.replace(/^www\./, '')
  return host === archive || host.endsWith(`.${archive}`)
}

/**
 * The snapshot named by an availability answer (`archived_snapshots.closest`), or null. An http
 * snapshot of an https archive is asked over https, as the archive's own pages are.
 */
export function snapshotOf (answer: unknown, archiveUrl: string): { url: string, takenAt: number | null } | null {
  const closest = (answer as { archived_snapshots?: { closest?: { available?: unknown, url?: unknown, timestamp?: unknown } } } | null)?.archived_snapshots?.closest
  if (closest?.available !== true || typeof closest.url !== 'string' || !URL.canParse(closest.url)) return null
  const url = new URL(closest.url)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.protocol === 'http:' && archiveUrl.startsWith('https:')) url.protocol = 'https:'
  return { url: url.href, takenAt: typeof closest.timestamp === 'string' ? waybackTime(closest.timestamp) : null }
}

/** A Wayback timestamp (`YYYYMMDDhhmmss`, UTC) as epoch ms, or null. */
export function waybackTime (stamp: string): number | null {
  const parts = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?$/.exec(stamp)
  if (parts === null) return null
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = parts.slice(1).map((part, index) => Number(part ?? (index < 3 ? 1 : 0)))
  const at = Date.UTC(year, month - 1, day, hour, minute, second)
  return Number.isFinite(at) ? at : null
}

/** Asks the reader's archive for the snapshot of `page` nearest to now. */
export async function findSnapshot (page: string, settings: Pick<Settings, 'archiveUrl' | 'allowPrivateHosts'>, fetchImpl?: typeof fetch): Promise<ArchiveAnswer> {
  const context = { page: settings.archiveUrl, allowPrivateHosts: settings.allowPrivateHosts, offSites: [] }
  let answer: unknown
  try {
    const response = await siteFetch(availabilityUrl(settings.archiveUrl, page), context, { maxBytes: MAX_ANSWER_BYTES, stallMs: STALL_MS, headers: { accept: 'application/json' } }, fetchImpl)
    if (!response.ok) return { kind: 'unreachable', why: `HTTP ${response.status}` }
    answer = JSON.parse(new TextDecoder().decode(await readBody(response)))
  } catch (error) {
    return { kind: 'unreachable', why: error instanceof Error ? error.message : String(error) }
  }
  const snapshot = snapshotOf(answer, settings.archiveUrl)
  // A snapshot is visited, not fetched; still, an archive cannot send the tab where a site could not.
  if (snapshot === null || !judgeFetch(snapshot.url, context).ok) return { kind: 'none' }
  return { kind: 'found', ...snapshot }
}
