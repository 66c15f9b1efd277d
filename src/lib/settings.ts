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
  maxCopyBytes: 100 * 1024 * 1024
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
  if (patch.prewarmPointers !== undefined && typeof patch.prewarmPointers !== 'boolean') return 'Pre-warm pointers is on or off.'
  return null
}

/** Whatever is stored, from any version, becomes valid current settings; bad fields fall back to defaults. */
export function migrateSettings (stored: unknown): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS }
  if (typeof stored !== 'object' || stored === null) return settings
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    if (key === 'version' || !(key in stored)) continue
    const value = (stored as Record<string, unknown>)[key]
    if (typeof value === typeof DEFAULT_SETTINGS[key] && settingsProblem({ [key]: value }) === null) {
      (settings as unknown as Record<string, unknown>)[key] = value
    }
  }
  return settings
}
