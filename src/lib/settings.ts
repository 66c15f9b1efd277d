// Peerback's settings: one typed defaults object, validation and migrations. Pure; the one place
// that stores them is settings-store.ts.
import { siteEntry } from '../protocol/fetch-policy'
import { DEFAULT_MAX_COPY_BYTES } from '../protocol/torrent-limits'

export interface Settings {
  version: 1
  /** RFC 8484 resolver for `_torrent` lookups: https, or http on loopback (tests, local resolvers). */
  dohResolver: string
  /** Look up DNS pointers on healthy visits too, so a later failure needs no lookup (off: privacy). */
  prewarmPointers: boolean
  /** The most a copy may weigh, all files together. */
  maxCopyBytes: number
  /** Open the peer copy by itself when a page fails (off: the popup offers it instead). */
  autoFailover: boolean
  /** Fetch a copy when a page is slow to answer; the tab switches to it only once it is ready. */
  failoverOnSlow: boolean
  /** How long a page may take to answer before it counts as slow. */
  slowThresholdSeconds: number
  /** HTTP statuses that count as the site being down. */
  failoverStatuses: number[]
  /** Fail over for hosts on private networks (10.x, 192.168.x, .local…) too. */
  allowPrivateHosts: boolean
  /** Host names where Peerback stays off (a name also covers its subdomains), lowercased, as siteEntry stores them. */
  offSites: string[]
  /** Share a copy with other readers while its tab is open (off: never upload anything). */
  shareWhileReading: boolean
  /** Stop uploading at uploaded ÷ size; 0 = no limit while the tab is open. */
  ratioTarget: number
  /** Each copy uploads at most this many KiB per second; 0 = no limit. */
  uploadLimitKiBps: number
  /** Tell sites (Accept-Encoding) that this browser can take a page as a torrent. */
  advertiseTorrent: boolean
  /** Trackers added to every copy's own, to find more readers. */
  extraTrackers: string[]
  /** STUN servers that help peers behind NAT find each other (empty: direct connections only). */
  iceServers: string[]
  /** A failed page with no copy goes to its archived snapshot by itself (off: the popup offers it). */
  archiveAuto: boolean
  /** The web archive asked for snapshots (its `/wayback/available` API): https, or http on loopback. */
  archiveUrl: string
  /** Peerback does nothing anywhere until resumed. */
  paused: boolean
  /** Keep sharing pages read, after their tabs close and across restarts (keep-sharing in docs/protocol.md). */
  keepSharing: boolean
  /** The most the kept pages may take on disk, all together; the least recently read go first. */
  keepDiskBytes: number
  /** The most the kept pages may upload in a day, all together; 0 = no limit. */
  keepUploadBytesPerDay: number
  /** Only these sites' pages are kept (a name also covers its subdomains); empty: every site that publishes torrents. */
  keepSites: string[]
  /** A page read while its site is healthy is fetched to keep only while its swarm has fewer seeders than this. */
  keepWarmBelowSeeders: number
}

export const PUBLIC_RESOLVERS = {
  Cloudflare: 'https://cloudflare-dns.com/dns-query',
  Google: 'https://dns.google/dns-query',
  Quad9: 'https://dns.quad9.net/dns-query'
} as const

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  dohResolver: PUBLIC_RESOLVERS.Cloudflare,
  prewarmPointers: false,
  maxCopyBytes: DEFAULT_MAX_COPY_BYTES,
  autoFailover: true,
  failoverOnSlow: true,
  slowThresholdSeconds: 5,
  failoverStatuses: [502, 503, 504],
  allowPrivateHosts: false,
  offSites: [],
  shareWhileReading: true,
  ratioTarget: 2,
  uploadLimitKiBps: 0,
  advertiseTorrent: false,
  extraTrackers: [],
  iceServers: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478'],
  archiveAuto: false,
  archiveUrl: 'https://archive.org',
  paused: false,
  keepSharing: false,
  keepDiskBytes: 200 * 1024 * 1024,
  keepUploadBytesPerDay: 1024 * 1024 * 1024,
  keepSites: [],
  keepWarmBelowSeeders: 3
}

/** A reason a setting is refused: the name of its message in _locales (lib/i18n.ts). */
export type SettingProblem =
  | 'problemResolverNotUrl'
  | 'problemResolverNotHttps'
  | 'problemMaxCopy'
  | 'problemSlowThreshold'
  | 'problemOnOff'
  | 'problemRatio'
  | 'problemUploadLimit'
  | 'problemStatuses'
  | 'problemOffSites'
  | 'problemIceServers'
  | 'problemTrackers'
  | 'problemArchiveUrl'
  | 'problemKeepDisk'
  | 'problemKeepUpload'
  | 'problemKeepSeeders'

/** Whether a service the reader names is reachable privately: https, or plain http on loopback. */
function secureService (url: string): 'ok' | 'not-url' | 'not-https' {
  if (!URL.canParse(url)) return 'not-url'
  const parsed = new URL(url)
  if (parsed.protocol === 'https:') return 'ok'
  const loopback = parsed.hostname === 'localhost' || parsed.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(parsed.hostname)
  return parsed.protocol === 'http:' && loopback ? 'ok' : 'not-https'
}

/** Why a resolver URL is refused, or null when it is fine. */
export function resolverProblem (url: string): SettingProblem | null {
  const verdict = secureService(url)
  return verdict === 'ok' ? null : verdict === 'not-url' ? 'problemResolverNotUrl' : 'problemResolverNotHttps'
}

const isTrackerUrl = (url: unknown): boolean => {
  if (typeof url !== 'string' || !URL.canParse(url)) return false
  const parsed = new URL(url)
  return /^(wss?|https?):$/.test(parsed.protocol) && parsed.hostname !== ''
}

const CHECKS: { [K in keyof Settings]: (value: Settings[K]) => SettingProblem | null } = {
  version: () => null,
  dohResolver: (url) => typeof url === 'string' ? resolverProblem(url) : 'problemResolverNotUrl',
  maxCopyBytes: (bytes) => Number.isSafeInteger(bytes) && bytes > 0 ? null : 'problemMaxCopy',
  slowThresholdSeconds: (seconds) => Number.isFinite(seconds) && seconds >= 1 && seconds <= 120 ? null : 'problemSlowThreshold',
  prewarmPointers: onOff,
  autoFailover: onOff,
  failoverOnSlow: onOff,
  allowPrivateHosts: onOff,
  shareWhileReading: onOff,
  advertiseTorrent: onOff,
  archiveAuto: onOff,
  paused: onOff,
  archiveUrl: (url) => typeof url === 'string' && secureService(url) === 'ok' ? null : 'problemArchiveUrl',
  ratioTarget: (ratio) => Number.isFinite(ratio) && ratio >= 0 ? null : 'problemRatio',
  uploadLimitKiBps: (limit) => Number.isFinite(limit) && limit >= 0 ? null : 'problemUploadLimit',
  failoverStatuses: (statuses) => Array.isArray(statuses) && statuses.every((status) => Number.isInteger(status) && status >= 500 && status <= 599) ? null : 'problemStatuses',
  offSites: (sites) => siteList(sites) ? null : 'problemOffSites',
  keepSites: (sites) => siteList(sites) ? null : 'problemOffSites',
  keepSharing: onOff,
  keepDiskBytes: (bytes) => Number.isSafeInteger(bytes) && bytes >= 1024 * 1024 ? null : 'problemKeepDisk',
  keepUploadBytesPerDay: (bytes) => Number.isSafeInteger(bytes) && bytes >= 0 ? null : 'problemKeepUpload',
  keepWarmBelowSeeders: (count) => Number.isInteger(count) && count >= 0 && count <= 50 ? null : 'problemKeepSeeders',
  iceServers: (servers) => Array.isArray(servers) && servers.every((server) => typeof server === 'string' && /^(stun|turn)s?:\S+$/.test(server)) ? null : 'problemIceServers',
  extraTrackers: (trackers) => Array.isArray(trackers) && trackers.every(isTrackerUrl) ? null : 'problemTrackers'
}

/** Host names as siteEntry stores them. */
const siteList = (sites: unknown): boolean => Array.isArray(sites) && sites.every((site) => typeof site === 'string' && siteEntry(site) === site)

function onOff (value: boolean): SettingProblem | null {
  return typeof value === 'boolean' ? null : 'problemOnOff'
}

/**
 * Changes as they are stored: an off-site typed as a URL, `*.example.com` or in capitals becomes
 * its host (one that names no host stays, to be refused).
 */
export function normalizePatch (patch: Partial<Settings>): Partial<Settings> {
  const normalized = { ...patch }
  for (const key of ['offSites', 'keepSites'] as const) {
    const sites = patch[key]
    if (Array.isArray(sites)) normalized[key] = [...new Set(sites.map((site) => typeof site === 'string' ? siteEntry(site) ?? site : site))]
  }
  return normalized
}

/** The first field of a set of changes that is refused, and why; null when every field is valid. */
export function settingsProblem (patch: Partial<Settings>): { field: keyof Settings, problem: SettingProblem } | null {
  for (const field of Object.keys(patch) as Array<keyof Settings>) {
    if (!(field in CHECKS)) continue
    const problem = (CHECKS[field] as (value: unknown) => SettingProblem | null)(patch[field])
    if (problem !== null) return { field, problem }
  }
  return null
}

/** Fields of earlier versions, as the current ones: two sharing switches became one. */
function renamed (stored: Record<string, unknown>): Record<string, unknown> {
  if (!('seedWhileOpen' in stored || 'neverUpload' in stored) || 'shareWhileReading' in stored) return stored
  const { seedWhileOpen, neverUpload, ...rest } = stored
  return { ...rest, shareWhileReading: seedWhileOpen !== false && neverUpload !== true }
}

/** Whatever is stored, from any version, becomes valid current settings; bad fields fall back to defaults. */
export function migrateSettings (stored: unknown): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS }
  if (typeof stored !== 'object' || stored === null) return settings
  const normalized: Record<string, unknown> = normalizePatch(renamed(stored as Record<string, unknown>))
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    if (key === 'version' || !(key in normalized)) continue
    const value = normalized[key]
    if (Array.isArray(value) === Array.isArray(DEFAULT_SETTINGS[key]) && typeof value === typeof DEFAULT_SETTINGS[key] && settingsProblem({ [key]: value }) === null) {
      (settings as unknown as Record<string, unknown>)[key] = value
    }
  }
  return settings
}
