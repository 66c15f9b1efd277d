// The pages a reader keeps sharing after their tabs close (settings.keepSharing): what the
// background, the sharing host (src/prefetch/sharing.ts), the viewer and the popup say of them.
import { isOffSite } from '../protocol/fetch-policy'
import { formatBytes, formatNumber } from '../protocol/format'
import type { Translate } from './i18n-keys'
import type { Settings } from './settings'

/** A kept page's torrent, as the sharing host needs it. */
export interface KeptTorrent {
  infoHash: string
  /** The page it is a copy of. */
  page: string
  /** The .torrent, base64; checked against the limits again by the host. */
  torrentFile: string
}

/** How a page came to be kept: its copy was opened (a failover, or on purpose), or it was read while the site was healthy and its swarm was thin. */
export type KeptHow = 'opened' | 'warmed'

export interface KeepRequest extends KeptTorrent {
  /** The copy's size, all files together: what it takes on disk. */
  bytes: number
  how: KeptHow
  /**
   * From a viewer whose pieces go to disk as they come: kept now, shared by the host once the tab
   * closes or leaves the copy (the viewer shares it until then, and a copy not all here by then is
   * completed by the host).
   */
  whileOpen?: true
}

/** Whether the reader's settings let this page be kept. */
export function mayKeep (page: string, settings: Pick<Settings, 'keepSharing' | 'paused' | 'offSites' | 'keepSites'>): boolean {
  if (!settings.keepSharing || settings.paused || !URL.canParse(page)) return false
  const host = new URL(page).hostname
  return !isOffSite(host, settings.offSites) && (settings.keepSites.length === 0 || isOffSite(host, settings.keepSites))
}

/** What the popup and the options page show. */
export interface SharingStatus {
  on: boolean
  pages: number
  sites: string[]
  /** On disk, all kept pages together. */
  bytes: number
  uploadedToday: number
  /** Readers connected now; null when nothing is shared (no host is open). */
  peers: number | null
  /** For a page asked about: kept now, being fetched to keep, not kept as enough readers share it, or as its trackers could not say. */
  page?: 'kept' | 'fetching' | 'enough' | 'unknown' | null
}

/** The lines the popup and the options page show for what is kept; none while the setting is off and nothing is kept. */
export function describeSharing (status: SharingStatus, t: Translate, locale?: string): string[] {
  if (!status.on && status.pages === 0) return []
  const page = status.page === 'kept' ? [t('sharingThisPage')] : status.page === 'enough' ? [t('sharingEnoughReaders')] : []
  if (status.pages === 0) return [t('sharingNothing'), ...page]
  return [
    t('sharingPages', status.pages, formatBytes(status.bytes, locale), status.sites.join(', ')),
    t('sharingUploaded', formatBytes(status.uploadedToday, locale), formatNumber(status.peers ?? 0, locale)),
    ...page
  ]
}
