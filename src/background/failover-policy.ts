// When a failed or failing page is Peerback's business (docs/protocol.md). Pure.
import type { Settings } from '../lib/settings'
import { isOffSite, isPrivateHost } from '../protocol/fetch-policy'
import type { FailureKind, Trigger } from '../lib/records'

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
  if (settings.paused) return { go: false, why: 'Peerback is paused' }
  const host = parsed.hostname
  if (isOffSite(host, settings.offSites)) return { go: false, why: 'Peerback is off for this site' }
  if (!settings.allowPrivateHosts && isPrivateHost(host)) return { go: false, why: 'a private-network host' }
  return { go: true }
}
