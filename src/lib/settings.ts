// Peerback's settings: one typed defaults object, validation and migrations. Pure; the one place
// that stores them is settings-store.ts.

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
  /** Host names where Peerback stays off (a name also covers its subdomains). */
  offSites: string[]
  /** Keep sharing the copy while its tab is open. */
  seedWhileOpen: boolean
  /** Stop uploading at uploaded ÷ size; 0 = no limit while the tab is open. */
  ratioTarget: number
  /** Each copy uploads at most this many KiB per second; 0 = no limit. */
  uploadLimitKiBps: number
  /** Never upload anything to other readers. */
  neverUpload: boolean
  /** STUN servers that help peers behind NAT find each other (empty: direct connections only). */
  iceServers: string[]
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
  maxCopyBytes: 100 * 1024 * 1024,
  autoFailover: true,
  failoverOnSlow: true,
  slowThresholdSeconds: 5,
  failoverStatuses: [502, 503, 504],
  allowPrivateHosts: false,
  offSites: [],
  seedWhileOpen: true,
  ratioTarget: 2,
  uploadLimitKiBps: 0,
  neverUpload: false,
  iceServers: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478']
}

/** Why a resolver URL is refused, or null when it is fine. */
export function resolverProblem (url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'The resolver must be a full URL, such as https://dns.example/dns-query.'
  }
  if (parsed.protocol === 'https:') return null
  const loopback = parsed.hostname === 'localhost' || parsed.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(parsed.hostname)
  if (parsed.protocol === 'http:' && loopback) return null
  return 'The resolver must use https (plain http only on this computer: 127.0.0.1, ::1 or localhost).'
}

/** Why a set of changes is refused, or null when every field is valid. */
export function settingsProblem (patch: Partial<Settings>): string | null {
  if (patch.dohResolver !== undefined) {
    const problem = resolverProblem(patch.dohResolver)
    if (problem !== null) return problem
  }
  if (patch.maxCopyBytes !== undefined && !(Number.isSafeInteger(patch.maxCopyBytes) && patch.maxCopyBytes > 0)) {
    return 'The largest copy must be a positive number of bytes.'
  }
  if (patch.slowThresholdSeconds !== undefined && !(Number.isFinite(patch.slowThresholdSeconds) && patch.slowThresholdSeconds >= 1 && patch.slowThresholdSeconds <= 120)) {
    return 'The slow page threshold is between 1 and 120 seconds.'
  }
  for (const key of ['prewarmPointers', 'autoFailover', 'failoverOnSlow', 'allowPrivateHosts', 'seedWhileOpen', 'neverUpload'] as const) {
    if (patch[key] !== undefined && typeof patch[key] !== 'boolean') return `${key} is on or off.`
  }
  if (patch.ratioTarget !== undefined && !(Number.isFinite(patch.ratioTarget) && patch.ratioTarget >= 0)) {
    return 'The seeding ratio target must be 0 (no limit) or more.'
  }
  if (patch.uploadLimitKiBps !== undefined && !(Number.isFinite(patch.uploadLimitKiBps) && patch.uploadLimitKiBps >= 0)) {
    return 'The upload limit must be 0 (no limit) or more KiB per second.'
  }
  if (patch.failoverStatuses !== undefined &&
      !(Array.isArray(patch.failoverStatuses) && patch.failoverStatuses.every((status) => Number.isInteger(status) && status >= 500 && status <= 599))) {
    return 'Failover statuses must be HTTP 5xx codes.'
  }
  if (patch.offSites !== undefined && !(Array.isArray(patch.offSites) && patch.offSites.every((site) => typeof site === 'string' && /^[a-z0-9.-]+$/i.test(site)))) {
    return 'Sites where Peerback stays off are host names, such as example.com.'
  }
  if (patch.iceServers !== undefined && !(Array.isArray(patch.iceServers) && patch.iceServers.every((server) => typeof server === 'string' && /^(stun|turn)s?:\S+$/.test(server)))) {
    return 'STUN servers are stun: URLs, such as stun:stun.example.org:3478.'
  }
  return null
}

/** Whatever is stored, from any version, becomes valid current settings; bad fields fall back to defaults. */
export function migrateSettings (stored: unknown): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS }
  if (typeof stored !== 'object' || stored === null) return settings
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    if (key === 'version' || !(key in stored)) continue
    const value = (stored as Record<string, unknown>)[key]
    if (Array.isArray(value) === Array.isArray(DEFAULT_SETTINGS[key]) && typeof value === typeof DEFAULT_SETTINGS[key] && settingsProblem({ [key]: value }) === null) {
      (settings as unknown as Record<string, unknown>)[key] = value
    }
  }
  return settings
}
