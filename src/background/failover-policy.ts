// When a failed or failing page is Peerback's business (DESIGN.md §1). Pure.
import type { Settings } from '../lib/settings'
import type { FailureKind } from '../platform/types'

export type Trigger =
  | { kind: 'navigation-error', failure: FailureKind }
  | { kind: 'status', status: number, hasPointers: boolean }

export type Decision = { go: true } | { go: false, why: string }

// Failures that mean the site is unreachable; `aborted` is the user, `other` is not an outage we know.
const OUTAGES = new Set<FailureKind>(['connection-refused', 'connection-reset', 'dns', 'timeout', 'tls'])

export function decideFailover (url: string, trigger: Trigger, settings: Settings): Decision {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { go: false, why: 'not a URL' }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { go: false, why: 'not a web page' }
  if (trigger.kind === 'navigation-error' && !OUTAGES.has(trigger.failure)) return { go: false, why: `not an outage (${trigger.failure})` }
  if (trigger.kind === 'status') {
    const outage = settings.failoverStatuses.includes(trigger.status) || (trigger.status >= 500 && trigger.status <= 599 && trigger.hasPointers)
    if (!outage) return { go: false, why: `HTTP ${trigger.status} is the site's own answer` }
  }
  const host = parsed.hostname.toLowerCase()
  if (settings.offSites.some((site) => host === site || host.endsWith(`.${site}`))) return { go: false, why: 'Peerback is off for this site' }
  if (!settings.allowPrivateHosts && isPrivateHost(host)) return { go: false, why: 'a private-network host' }
  return { go: true }
}

/** Hosts of a home or office network, judged by name and literal address (nothing is resolved). */
export function isPrivateHost (host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '')
  if (bare === 'localhost' || !bare.includes('.') && !bare.includes(':')) return true
  if (/\.(local|localhost|internal|lan|home\.arpa|intranet|corp)$/.test(bare)) return true
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(bare)
  if (v4 !== null) {
    const [a, b] = [Number(v4[1]), Number(v4[2])]
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)
  }
  return bare === '::1' || /^f[cd][0-9a-f]{2}:/.test(bare) || /^fe[89ab][0-9a-f]:/.test(bare)
}
