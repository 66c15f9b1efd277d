// Whether Peerback is off for a page, and the greyed icon that says so. Pure.
import type { Settings } from './settings'
import { isOffSite } from '../protocol/fetch-policy'

/** Why Peerback does nothing for a page, or null when it is on there. */
export function offReason (url: string | undefined, settings: Pick<Settings, 'paused' | 'offSites'>): 'paused' | 'site' | null {
  if (settings.paused) return 'paused'
  if (url === undefined || !/^https?:/.test(url)) return null
  return isOffSite(new URL(url).hostname, settings.offSites) ? 'site' : null
}

/** Greys RGBA pixels in place and fades them: the icon of an extension that is not at work. */
export function greyPixels (data: Uint8ClampedArray): void {
  for (let at = 0; at < data.length; at += 4) {
    const light = Math.round(0.3 * (data[at] ?? 0) + 0.59 * (data[at + 1] ?? 0) + 0.11 * (data[at + 2] ?? 0))
    data.fill(light, at, at + 3)
    data[at + 3] = Math.round((data[at + 3] ?? 0) * 0.55)
  }
}
