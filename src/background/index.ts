// The background: a service worker on Chrome, an event page on Firefox. Every listener is
// registered synchronously at top level so a stopped worker is woken by the events it needs.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import { isEnvelope, type MessageHandlers } from '../lib/messages'
import { loadSettings, saveSettings } from '../lib/settings-store'
import type { TorrentLimits } from '../protocol/torrent-file'
import type { Settings } from '../lib/settings'
import type { RawHeader } from '../protocol/pointer-headers'
import { findTorrent, type DiscoveryDeps } from './discovery'
import { dohClient } from './doh-client'
import { forgetTab, recordFailure, tabFailure } from './navigation-log'
import { pointerCache } from './pointer-cache'
import { prewarm } from './prewarm'
import { rememberPointers, withoutFragment } from './remember-pointers'

const WEB_URL = /^https?:/
const cache = pointerCache(browser.storage.local)
const warn = (message: string): void => { console.warn(`Peerback: ${message}`) }
const copyLimits = async (): Promise<TorrentLimits> => ({ maxTotalBytes: (await loadSettings()).maxCopyBytes })

// Both browsers send `error`; the polyfill's types leave it out.
type NavigationErrorDetails = browser.WebNavigation.OnErrorOccurredDetailsType & { error: string }

browser.webNavigation.onErrorOccurred.addListener((event) => {
  const details = event as NavigationErrorDetails
  if (details.frameId !== 0 || !WEB_URL.test(details.url)) return
  const kind = platform.classifyNavigationError(details.error)
  // An aborted navigation is the user's doing (stop button, a new URL typed), not an outage.
  if (kind === 'aborted') return
  void recordFailure(details.tabId, { url: details.url, kind, error: details.error, at: details.timeStamp })
})

browser.webRequest.onHeadersReceived.addListener((details) => {
  if (details.tabId < 0 || details.statusCode >= 400) return
  onHealthyResponse(withoutFragment(details.url), details.responseHeaders ?? []).catch((error: unknown) => warn(`could not remember the pointers of ${details.url}: ${String(error)}`))
}, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] }, ['responseHeaders'])

async function onHealthyResponse (url: string, headers: RawHeader[]): Promise<void> {
  if (await rememberPointers(url, headers, { cache, limits: copyLimits, warn })) return
  const settings = await loadSettings()
  if (settings.prewarmPointers) await prewarm(url, { ...discoveryDeps(settings), warn })
}

const discoveryDeps = (settings: Settings): DiscoveryDeps => ({
  cache,
  lookupTxt: dohClient({ resolverUrl: settings.dohResolver }),
  limits: { maxTotalBytes: settings.maxCopyBytes }
})

browser.tabs.onRemoved.addListener((tabId) => { void forgetTab(tabId) })

const handlers = {
  tabFailure: async ({ tabId }) => await tabFailure(tabId),
  cachedPointers: async ({ url }) => {
    const { page, site } = await cache.lookup(withoutFragment(url))
    return page ?? site
  },
  findTorrent: async ({ url, responseHeaders }) =>
    await findTorrent(withoutFragment(url), responseHeaders, discoveryDeps(await loadSettings())),
  settings: async () => await loadSettings(),
  updateSettings: async (patch) => await saveSettings(patch)
} satisfies MessageHandlers

const messageNames = Object.keys(handlers)

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Only the extension's own pages may ask; content in sandboxed frames has no runtime API anyway.
  if (sender.id !== browser.runtime.id || !isEnvelope(message, messageNames)) return undefined
  const handler = handlers[message.name] as (request: unknown) => Promise<unknown>
  return handler(message.request)
})
