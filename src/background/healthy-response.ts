// A page answered with a healthy main-frame response: remember what its headers say about copies
// of it (and fetch a small .torrent they name), or, with pre-warming on, look its DNS records up.
// Not while paused, not for sites the reader turned Peerback off for, and not for private windows: nothing learned
// there is written to storage that outlives them.
import type { Settings } from '../lib/settings'
import { fetchContext } from '../lib/site-fetch'
import { isOffSite } from '../protocol/fetch-policy'
import { pickPointerHeaders, type RawHeader } from '../protocol/pointer-headers'
import type { DiscoveryDeps } from './discovery'
import { prewarm } from './prewarm'
import { rememberPointers } from './remember-pointers'

export interface HealthyDeps extends DiscoveryDeps {
  settings: Settings
  /** Whether the tab is in a private (incognito) window; asked only when there is something to keep. */
  isPrivateTab: () => Promise<boolean>
  fetch?: typeof fetch
  warn: (message: string) => void
}

/** What was done: pointers remembered, a pre-warm lookup, or nothing (and why). */
export type HealthyOutcome = 'remembered' | 'prewarmed' | 'nothing' | 'off-site' | 'private'

export async function onHealthyResponse (url: string, headers: RawHeader[], deps: HealthyDeps): Promise<HealthyOutcome> {
  const { settings } = deps
  if (settings.paused || isOffSite(new URL(url).hostname, settings.offSites)) return 'off-site'
  // Most pages send no pointers: they cost nothing more here (not even a look at the tab).
  if (!settings.prewarmPointers && pickPointerHeaders(headers) === null) return 'nothing'
  if (await deps.isPrivateTab()) return 'private'
  const limits = { maxTotalBytes: settings.maxCopyBytes }
  const remembered = await rememberPointers(url, headers, {
    cache: deps.cache,
    limits: () => Promise.resolve(limits),
    fetchContext: (page) => Promise.resolve(fetchContext(page, settings)),
    ...(deps.fetch !== undefined && { fetch: deps.fetch }),
    ...(deps.now !== undefined && { now: deps.now }),
    warn: deps.warn
  })
  if (remembered) return 'remembered'
  if (!settings.prewarmPointers) return 'nothing'
  await prewarm(url, deps)
  return 'prewarmed'
}
