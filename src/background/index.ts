// The background: a service worker on Chrome, an event page on Firefox. Every listener is
// registered synchronously at top level so a stopped worker is woken by the events it needs.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import { isEnvelope, type MessageHandlers } from '../lib/messages'
import type { Settings } from '../lib/settings'
import { loadSettings, saveSettings, watchSettings } from '../lib/settings-store'
import { viewerUrl } from '../lib/viewer-url'
import { pickPointerHeaders } from '../protocol/pointer-headers'
import { findTorrent, type DiscoveryDeps } from './discovery'
import { dohClient } from './doh-client'
import { failOver } from './failover'
import { applyNegotiation, dropNegotiatedDownload, isTorrentAnswer, negotiatedAnswer } from './negotiation'
import { forgetTab, recordFailure, tabFailure } from './navigation-log'
import { pointerCache } from './pointer-cache'
import { onHealthyResponse } from './healthy-response'
import { forgetMethod, isNonGet, isSpeculative, isVisibleMainFrame, noteMethod, noteRequestHeaders } from './main-frame'
import { withoutFragment } from '../protocol/format'
import { forgetLeftCopy, retryAsked } from './left-copy'
import { endRace } from './race'
import { markMoment } from '../lib/moments'
import { sameFailureWindow } from './same-failure'
import { copyEnded, copyReady, inTabOrder, navigationStarted, pageAnswered, pageFailed, watchForStall } from './stall-watch'
import { discoveryFor, forgetTabState, interruptedLookups, moveTab, rememberDiscovery, rememberStats, showViewer, tabState, tabStats } from './tab-states'

const WEB_URL = /^https?:/
const cache = pointerCache(browser.storage.local)
const warn = (message: string): void => { console.warn(`Peerback: ${message}`) }
const warnError = (what: string, url: string) => (error: unknown): void => { warn(`could not ${what} ${url}: ${String(error)}`) }

// Both browsers send `error`; the polyfill's types leave it out.
type NavigationErrorDetails = browser.WebNavigation.OnErrorOccurredDetailsType & { error: string }

// One look at each main-frame request as it is sent: its method, and whether it is a prerender.
browser.webRequest.onSendHeaders.addListener((details) => {
  noteRequestHeaders(details.requestId, details.requestHeaders)
  if (details.tabId >= 0 && isVisibleMainFrame(details)) noteMethod(details.tabId, withoutFragment(details.url), details.method).catch(warnError('track', details.url))
}, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] }, ['requestHeaders'])

browser.webNavigation.onBeforeNavigate.addListener((details) => {
  if (!isVisibleMainFrame(details) || !WEB_URL.test(details.url)) return
  markMoment('navigation-start', details.timeStamp)
  const url = withoutFragment(details.url)
  void (async () => {
    await navigationStarted(details.tabId, url)
    const settings = await loadSettings()
    watchForStall(details.tabId, url, settings, () => discoveryDeps(settings))
  })().catch(warnError('track', url))
})

browser.webNavigation.onCommitted.addListener((details) => {
  if (!isVisibleMainFrame(details) || !WEB_URL.test(details.url)) return
  const url = withoutFragment(details.url)
  pageAnswered(details.tabId, url).catch(warnError('track', url))
})

// A failed navigation shows up twice: as the main-frame request's error (Chrome: some 30 ms after
// the navigation starts) and as the navigation's error (after the error page commits, some 170 ms
// later). The first one starts the failover; the other is recognised as the same failure.
if (platform.failsOverOnRequestError) {
  browser.webRequest.onErrorOccurred.addListener((details) => {
    if (details.tabId >= 0 && isVisibleMainFrame(details) && !isSpeculative(details.requestId, true)) onNavigationFailure(details.tabId, details.url, details.error, details.timeStamp)
  }, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] })
}
browser.webNavigation.onErrorOccurred.addListener((event) => {
  const details = event as NavigationErrorDetails
  if (isVisibleMainFrame(details)) onNavigationFailure(details.tabId, details.url, details.error, details.timeStamp)
})

const failures = sameFailureWindow()

function onNavigationFailure (tabId: number, rawUrl: string, error: string, timeStamp: number): void {
  if (!WEB_URL.test(rawUrl)) return
  const kind = platform.classifyNavigationError(error)
  // An aborted navigation is the user's doing (stop button, a new URL typed), not an outage.
  if (kind === 'aborted') return
  const url = withoutFragment(rawUrl)
  if (!failures.isNew(tabId, url, timeStamp)) return
  markMoment('failure-seen')
  void (async () => {
    // A form submission is the reader's, not a page to show a static copy of.
    if (await isNonGet(tabId, url)) return
    // The lookup starts at once; the bookkeeping runs beside it: every millisecond here is the reader's.
    const bookkeeping = Promise.all([pageFailed(tabId, url), recordFailure(tabId, { url, kind, error, at: timeStamp })])
    const settings = await loadSettings()
    await failOver(tabId, url, { kind: 'navigation-error', failure: kind }, undefined, settings, discoveryDeps(settings), bookkeeping)
  })().catch(warnError('fail over', url))
}

browser.webRequest.onHeadersReceived.addListener((details) => {
  if (details.tabId < 0 || !isVisibleMainFrame(details) || isSpeculative(details.requestId, details.statusCode < 300 || details.statusCode >= 400)) return
  const url = withoutFragment(details.url)
  const headers = details.responseHeaders ?? []
  if (details.statusCode >= 500 && details.method === 'GET') {
    markMoment('failure-seen')
    void (async () => {
      const bookkeeping = pageFailed(details.tabId, url)
      const settings = await loadSettings()
      const trigger = { kind: 'status', status: details.statusCode, hasPointers: pickPointerHeaders(headers) !== null } as const
      await failOver(details.tabId, url, trigger, headers, settings, discoveryDeps(settings), bookkeeping)
    })().catch(warnError('fail over', url))
    return
  }
  pageAnswered(details.tabId, url).catch(warnError('track', url))
  if (isTorrentAnswer(details.statusCode, headers)) {
    onTorrentAnswer(details.tabId, url).catch(warnError('open the torrent answer of', url))
    return
  }
  if (details.statusCode >= 400) return
  const tabId = details.tabId
  loadSettings().then(async (settings) => await onHealthyResponse(url, headers, {
    ...discoveryDeps(settings),
    settings,
    isPrivateTab: async () => (await browser.tabs.get(tabId)).incognito,
    warn
  })).catch(warnError('remember the pointers of', url))
}, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] }, ['responseHeaders'])

// Content negotiation: the header rule exists only while the setting is on. Dynamic rules outlive
// restarts, so they are set when the extension is installed or updated and when the setting changes.
browser.runtime.onInstalled.addListener(() => {
  loadSettings().then(async (settings) => { await applyNegotiation(settings.advertiseTorrent, settings.offSites) }).catch(warnError('set up', 'content negotiation'))
})
watchSettings((settings) => { applyNegotiation(settings.advertiseTorrent, settings.offSites).catch(warnError('set up', 'content negotiation')) })
browser.downloads.onCreated.addListener((item) => { dropNegotiatedDownload(item).catch(warnError('drop the download of', item.url)) })

/** The site answered a navigation with its torrent: open it in the viewer instead of saving a file. */
async function onTorrentAnswer (tabId: number, url: string): Promise<void> {
  // With the setting off, a .torrent the reader followed a link to is theirs to save.
  if (!(await loadSettings()).advertiseTorrent) return
  await negotiatedAnswer(url)
  await rememberDiscovery(tabId, {
    url,
    torrent: { source: 'negotiated', pointer: { kind: 'url', url }, secure: url.startsWith('https:'), authenticated: false },
    mirrors: [],
    digests: {},
    problems: []
  })
  await moveTab(tabId, 'fetching', url)
  await showViewer(tabId, viewerUrl(browser.runtime.getURL(''), url))
}


const discoveryDeps = (settings: Settings): DiscoveryDeps => ({
  cache,
  lookupTxt: dohClient({ resolverUrl: settings.dohResolver }),
  limits: { maxTotalBytes: settings.maxCopyBytes }
})

// A worker stopped in the middle of a lookup took it along; this one, woken by whatever event,
// finishes it (the failing response's headers are gone: cache and DNS only).
void (async () => {
  for (const { tabId, url } of await interruptedLookups()) {
    const failure = await tabFailure(tabId)
    const trigger = failure?.url === url ? { kind: 'navigation-error', failure: failure.kind } as const : { kind: 'status', status: 503, hasPointers: false } as const
    const settings = await loadSettings()
    await failOver(tabId, url, trigger, undefined, settings, discoveryDeps(settings), Promise.resolve())
  }
})().catch(warnError('resume the lookups of', 'a stopped worker'))

browser.tabs.onRemoved.addListener((tabId) => {
  void forgetTab(tabId)
  void forgetTabState(tabId)
  void inTabOrder(tabId, async () => { await endRace(tabId) })
  void forgetLeftCopy(tabId)
  void forgetMethod(tabId)
})

const tabOf = (sender: browser.Runtime.MessageSender): number => {
  if (sender.tab?.id === undefined) throw new Error('this message must come from a tab')
  return sender.tab.id
}

const handlers = {
  tabFailure: async ({ tabId }) => await tabFailure(tabId),
  cachedPointers: async ({ url }) => {
    const { page, site } = await cache.lookup(withoutFragment(url))
    return page ?? site
  },
  findTorrent: async ({ url, responseHeaders }) =>
    await findTorrent(withoutFragment(url), responseHeaders, discoveryDeps(await loadSettings())),
  settings: async () => await loadSettings(),
  tabState: async ({ tabId }) => await tabState(tabId),
  copyFor: async ({ url }, sender) => {
    const tabId = tabOf(sender)
    return await discoveryFor(tabId, url) ?? await findTorrent(url, undefined, discoveryDeps(await loadSettings()))
  },
  prefetchReady: async ({ tabId, url }) => await copyReady(tabId, url),
  prefetchEnded: async ({ tabId, url, failure }) => await copyEnded(tabId, url, failure),
  retrySite: async ({ url, tabId }, sender) => { await retryAsked(tabId ?? tabOf(sender), url); return true },
  reportStats: async (stats, sender) => { await rememberStats(tabOf(sender), stats); return true },
  tabStats: async ({ tabId }) => await tabStats(tabId),
  reportPhase: async ({ phase, url, message }, sender) => await moveTab(tabOf(sender), phase, url, message),
  updateSettings: async (patch) => await saveSettings(patch)
} satisfies MessageHandlers

const messageNames = Object.keys(handlers)

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Only the extension's own pages may ask; content in sandboxed frames has no runtime API anyway.
  if (sender.id !== browser.runtime.id || !isEnvelope(message, messageNames)) return undefined
  const handler = handlers[message.name] as (request: unknown, sender: browser.Runtime.MessageSender) => Promise<unknown>
  return handler(message.request, sender)
})
