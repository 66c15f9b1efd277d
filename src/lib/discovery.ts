// What discovery found for a URL (src/background/discovery.ts looks; the viewer, the popup and the
// prefetch host read): shared types, and the two questions every reader of them asks.
import type { Digests } from '../protocol/digests'
import type { ProtocolErrorCode } from '../protocol/errors'
import type { Magnet } from '../protocol/magnet'
import type { TorrentPointer } from '../protocol/pointer-headers'
import type { Translate } from './i18n-keys'
import { problemWords } from './problem-words'

/** `negotiated`: the site answered the navigation with the torrent itself (Accept-Encoding: torrent). */
export type TorrentSource = 'cache' | 'response' | 'dns-page' | 'dns-site' | 'negotiated'

export type FoundPointer =
  | { kind: 'magnet', magnet: Magnet }
  /** A .torrent to fetch: it was not cached. */
  | { kind: 'url', url: string }
  /** The .torrent itself, already checked against the limits. */
  | { kind: 'file', base64: string, infoHash: string, url?: string }

export interface FoundTorrent {
  source: TorrentSource
  pointer: FoundPointer
  /** From a header of an HTTPS response. */
  secure: boolean
  /** From a DNS answer the resolver validated with DNSSEC. */
  authenticated: boolean
  /** For a cached pointer: when the site sent it (the copy is at least that recent). */
  seenAt?: number
  /** For a cached pointer: the page's Last-Modified then (epoch ms), when it sent one. */
  modifiedAt?: number
  /**
   * A cached pointer seen on another page of the site: like the site record, it serves only the
   * paths it holds, never this URL by another name (foundForThisUrl, protocol/torrent-paths.ts).
   */
  sitewide?: true
  /**
   * A DNS answer naming another torrent than the one the site's own HTTPS response named for this
   * page: shown only when the reader chooses to, after a warning.
   */
  pinConflict?: { infoHashes: string[], seenAt: number }
}

/** A refusal met while looking for a copy: its code, the site owner's message and the reader's details (lib/problem-words.ts). */
export interface Problem { code: ProtocolErrorCode, message: string, details: Array<string | number> }

export interface Discovery {
  url: string
  torrent: FoundTorrent | null
  mirrors: string[]
  digests: Digests
  problems: Problem[]
}

export interface CachedPointers {
  url: string
  torrents: TorrentPointer[]
  mirrors: string[]
  digests: Digests
  /** Seen on an HTTPS response; pointers from plain HTTP are shown as unauthenticated. */
  secure: boolean
  seenAt: number
  /** The page's Last-Modified on that response (epoch ms), when it sent one: how old its copy is. */
  modifiedAt?: number
}

/** Whether a found torrent was named for this very URL, and so serves it whatever its file is called. */
export const foundForThisUrl = (torrent: FoundTorrent): boolean => torrent.sitewide !== true && torrent.source !== 'dns-site'

/** Why no copy was found: the problems met on the way (diagnostics, in English), else that none is published. */
export function whyNoCopy (discovery: Discovery, t: Translate): string {
  if (discovery.problems.length > 0) return `${t('noCopyProblems')} ${[...new Set(discovery.problems.map((problem) => problemWords(problem, t)))].join(' ')}`
  return t('noCopyPublished')
}
