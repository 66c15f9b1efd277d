// The one message protocol between the extension's contexts. Each name maps to its request and
// response; `sendMessage` is the only way to send one, `MessageHandlers` the shape of a receiver.
import browser from 'webextension-polyfill'
import type { CachedPointers } from './discovery'
import type { Discovery } from './discovery'
import type { RawHeader } from '../protocol/pointer-headers'
import type { CopyStats } from './copy-stats'
import type { NavigationFailure } from './records'
import type { Settings } from './settings'
import type { SaveResult } from './settings-store'
import type { Phase, TabState } from './tab-state'

export interface Messages {
  /** The last main-frame navigation failure seen in a tab. */
  tabFailure: { request: { tabId: number }, response: NavigationFailure | null }
  /** Pointers remembered from healthy responses for a URL (its own, else its site's). */
  cachedPointers: { request: { url: string }, response: CachedPointers | null }
  /** The best torrent for a URL right now; looks up DNS when nothing nearer knows. */
  findTorrent: { request: { url: string, responseHeaders?: RawHeader[] }, response: Discovery }
  settings: { request: Record<string, never>, response: Settings }
  /** A tab's failover state, for the popup. */
  tabState: { request: { tabId: number }, response: TabState | null }
  /** From the viewer: the copy of `url` for the sender's tab (found at failure time, else now). */
  copyFor: { request: { url: string }, response: Discovery }
  /** From the viewer: the reader asked to try the site itself (not "back"). */
  retrySite: { request: { url: string, tabId?: number }, response: boolean }
  /** From the viewer, each second: its copy's figures. */
  reportStats: { request: CopyStats, response: boolean }
  /** For the popup: a tab's copy's latest figures. */
  tabStats: { request: { tabId: number }, response: CopyStats | null }
  /** From the viewer: how its tab's copy is doing. */
  reportPhase: { request: { phase: Phase, url: string, message?: string }, response: boolean }
  /** From the prefetch host: the copy of a slow page is ready; switch the tab if it still waits. */
  prefetchReady: { request: { tabId: number, url: string }, response: boolean }
  /** From the prefetch host: it no longer holds that copy (handed over, or failed and why). */
  prefetchEnded: { request: { tabId: number, url: string, failure?: string }, response: boolean }
  updateSettings: { request: Partial<Settings>, response: SaveResult }
}

export type MessageName = keyof Messages

export interface Envelope<K extends MessageName = MessageName> {
  name: K
  request: Messages[K]['request']
}

export type MessageHandlers = {
  [K in MessageName]: (request: Messages[K]['request'], sender: browser.Runtime.MessageSender) => Promise<Messages[K]['response']>
}

export async function sendMessage<K extends MessageName> (
  name: K,
  request: Messages[K]['request']
): Promise<Messages[K]['response']> {
  const envelope: Envelope<K> = { name, request }
  return await browser.runtime.sendMessage<Envelope<K>, Messages[K]['response']>(envelope)
}

export function isEnvelope (value: unknown, names: readonly string[]): value is Envelope {
  return typeof value === 'object' && value !== null &&
    typeof (value as Envelope).name === 'string' && names.includes((value as Envelope).name) &&
    typeof (value as Envelope).request === 'object' && (value as Envelope).request !== null
}
