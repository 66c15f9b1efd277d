// The messages between the extension's contexts, one table per direction: to the background, to
// the prefetch host, to a viewer. Each name maps to its request and response; `send` is the only
// way to send one (no raw runtime.sendMessage elsewhere), and `listen` takes a handler table the
// compiler checks is complete. docs/design.md lists them.
import browser from 'webextension-polyfill'
import type { RawHeader } from '../protocol/pointer-headers'
import type { Digests } from '../protocol/digests'
import type { ArchiveAnswer } from './archive'
import type { CopyStats } from './copy-stats'
import type { CachedPointers, Discovery, FoundPointer } from './discovery'
import type { KeepRequest, KeptTorrent, SharingStatus } from './kept'
import type { NavigationFailure } from './records'
import type { Settings } from './settings'
import type { SaveResult } from './settings-store'
import type { Phase, TabState } from './tab-state'

interface Message<Request, Response> { request: Request, response: Response }

/** From the popup, the options page, viewers and the prefetch host. */
export interface ToBackground {
  /** The last main-frame navigation failure seen in a tab. */
  tabFailure: Message<{ tabId: number }, NavigationFailure | null>
  /** Pointers remembered from healthy responses for a URL (its own, else its site's). */
  cachedPointers: Message<{ url: string }, CachedPointers | null>
  /** The best torrent for a URL right now; looks up DNS when nothing nearer knows. */
  findTorrent: Message<{ url: string, responseHeaders?: RawHeader[] }, Discovery>
  settings: Message<Record<string, never>, Settings>
  /** A tab's failover state, for the popup. */
  tabState: Message<{ tabId: number }, TabState | null>
  /** From the viewer: the copy of `url` for the sender's tab (found at failure time, else now). */
  copyFor: Message<{ url: string }, Discovery>
  /** From the viewer or the popup: the reader asked to try the site itself (not "back"). */
  retrySite: Message<{ url: string, tabId?: number }, boolean>
  /** From the viewer, each second: its copy's figures. */
  reportStats: Message<CopyStats, boolean>
  /** For the popup: a tab's copy's latest figures. */
  tabStats: Message<{ tabId: number }, CopyStats | null>
  /** From the viewer: how its tab's copy is doing. */
  reportPhase: Message<{ phase: Phase, url: string, message?: string }, boolean>
  /** From the prefetch host: the copy of a slow page is ready; switch the tab if it still waits. */
  prefetchReady: Message<{ tabId: number, url: string }, boolean>
  /** From the prefetch host: it no longer holds that copy (handed over, or failed and why). */
  prefetchEnded: Message<{ tabId: number, url: string, failure?: string }, boolean>
  updateSettings: Message<Partial<Settings>, SaveResult>
  /** From the popup: adds a site to the off-sites, read and written in one step with other saves. */
  turnOffSite: Message<{ site: string }, SaveResult>
  /** From the popup: takes a site (and the sites under it) off the off-sites. */
  turnOnSite: Message<{ site: string }, SaveResult>
  /** From the viewer: where its copy frame went by itself since `since` (epoch ms), if the background saw it. */
  copyFrameWent: Message<{ since: number }, string | null>
  /** From the options page: forgets every remembered site (pointers, torrent files, pins); what there was. */
  forgetSites: Message<Record<string, never>, { pages: number, sites: number, pins: number }>
  /** From the popup: opens the viewer for `url` in the tab, on purpose (background/on-purpose.ts). */
  openCopy: Message<{ tabId: number, url: string }, boolean>
  /** From the popup: asks the web archive for the page's snapshot and, when there is one, goes there. */
  openArchived: Message<{ tabId: number, url: string }, ArchiveAnswer>
  /** From a viewer (its copy is all here) or the sharing host (a page fetched to keep): keep sharing it; false when it is not kept. */
  keep: Message<KeepRequest, boolean>
  /** From the sharing host, each minute: bytes uploaded since its last report; how many more it may upload today. */
  sharedUpload: Message<{ bytes: number }, { left: number }>
  /** From the sharing host in Firefox, every 20 s while it shares: the event page must not idle out. */
  hostAwake: Message<Record<string, never>, boolean>
  /** From the sharing host: a page it fetched to keep did not come; close it if it holds nothing. */
  sharingIdle: Message<Record<string, never>, boolean>
  /** For the popup and the options page: what is kept and shared (and what became of `page`). */
  sharing: Message<{ page?: string }, SharingStatus>
  /** From the popup or the options page: stop sharing every kept page and delete them. */
  stopSharing: Message<Record<string, never>, boolean>
}

/** From the background. */
export interface ToPrefetch {
  /** Fetch the copy of a slow page for `tabId`. */
  start: Message<{ tabId: number, url: string, pointer: FoundPointer, forThisUrl: boolean, digests: Digests, settings: Settings }, boolean>
  /** The page answered (or the tab closed): drop that copy. */
  cancel: Message<{ tabId: number }, boolean>
  /** Share these kept pages from disk; `only`: these and no others (the rest is deleted). */
  share: Message<{ torrents: KeptTorrent[], settings: Settings, uploadLeft: number, only: boolean }, boolean>
  /** Stop sharing these kept pages and delete them. */
  unshare: Message<{ infoHashes: string[] }, boolean>
  /** A page read while its site was healthy whose swarm is thin: fetch it to keep (src/prefetch/sharing.ts); 'unknown' when it is held or fetched already. */
  warm: Message<{ page: string, pointer: FoundPointer, mirrors: string[], settings: Settings }, 'fetching' | 'unknown'>
  /** Readers connected to the kept pages now, and bytes uploaded since the host opened. */
  sharingStats: Message<Record<string, never>, { peers: number, uploaded: number }>
}

/** From the popup; every viewer hears it, the one in `tabId` acts. */
export interface ToViewer {
  stopSeeding: Message<{ tabId: number }, boolean>
}

interface Tables { background: ToBackground, prefetch: ToPrefetch, viewer: ToViewer }
type Recipient = keyof Tables
type Table = Tables[Recipient]

interface Envelope { to: Recipient, name: string, request: unknown }

/** One handler per name; a handler that returns undefined leaves the message to another page (a viewer, for another tab's). */
export type Handlers<T extends Table> = {
  [K in keyof T]: T[K] extends Message<infer Request, infer Response>
    ? (request: Request, sender: browser.Runtime.MessageSender) => Promise<Response> | undefined
    : never
}

type RequestOf<T, K extends keyof T> = T[K] extends Message<infer Request, unknown> ? Request : never
type ResponseOf<T, K extends keyof T> = T[K] extends Message<unknown, infer Response> ? Response : never

export async function send<To extends Recipient, K extends keyof Tables[To] & string> (
  to: To,
  name: K,
  request: RequestOf<Tables[To], K>
): Promise<ResponseOf<Tables[To], K>> {
  return await browser.runtime.sendMessage<Envelope, ResponseOf<Tables[To], K>>({ to, name, request })
}

function isEnvelope (value: unknown, to: Recipient, names: readonly string[]): value is Envelope {
  if (typeof value !== 'object' || value === null) return false
  const envelope = value as Record<string, unknown>
  return envelope.to === to && typeof envelope.name === 'string' && names.includes(envelope.name) &&
    typeof envelope.request === 'object' && envelope.request !== null
}

/**
 * Answers the messages addressed to `to` with `handlers`, and only those: every extension page
 * hears every message. Only the extension's own pages may ask; content in sandboxed frames has
 * no runtime API anyway.
 */
export function listen<To extends Recipient> (to: To, handlers: Handlers<Tables[To]>): void {
  const names = Object.keys(handlers)
  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || !isEnvelope(message, to, names)) return undefined
    const handler = (handlers as Record<string, (request: unknown, sender: browser.Runtime.MessageSender) => Promise<unknown> | undefined>)[message.name]
    return handler?.(message.request, sender)
  })
}
