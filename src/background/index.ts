// The background: a service worker on Chrome, an event page on Firefox. Every listener is
// registered synchronously at top level so a stopped worker is woken by the events it needs. The
// logic is in background.ts; this file gives it the browser (ports.ts) and routes events to it.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import { findSnapshot } from '../lib/archive'
import { t } from '../lib/i18n'
import { listen, send, type Handlers, type ToBackground } from '../lib/messages'
import { markMoment } from '../lib/moments'
import { browserPermissions } from '../lib/browser-permissions'
import { hasPermissions } from '../lib/optional-permissions'
import type { SharingStatus } from '../lib/kept'
import type { Settings } from '../lib/settings'
import { loadSettings, saveSettings, watchSettings } from '../lib/settings-store'
import { viewerUrl } from '../lib/viewer-url'
import { isOffSite } from '../protocol/fetch-policy'
import { withoutFragment } from '../protocol/format'
import { pickPointerHeaders } from '../protocol/pointer-headers'
import { followedTarget } from '../render/follow-link'
import { createBackground } from './background'
import { copyFrameNavigations } from './copy-frame'
import { showBadge } from './badge'
import { findTorrent, type DiscoveryDeps } from './discovery'
import { firstRun } from './first-run'
import { dohClient } from './doh-client'
import { onHealthyResponse } from './healthy-response'
import { dropKept } from '../copy/kept-folders'
import { swarmSize } from '../copy/scrape'
import { keepSharing } from './keep-sharing'
import { racesOpen } from './race'
import { isVisibleMainFrame, speculativeRequests } from './main-frame'
import { applyNegotiation, dropNegotiatedDownload, isTorrentAnswer, negotiatedAnswer } from './negotiation'
import { offHere } from './off-here'
import { createMenu, listenOnPurpose, openCopy } from './on-purpose'
import { pointerCache } from './pointer-cache'
import { cachedArea } from './session-cache'

const WEB_URL = /^https?:/
/** The tab's committed page is `url` and nothing is loading (tabs.onUpdated); false after 3 s. */
async function tabSettledOn (tabId: number, url: string): Promise<boolean> {
  const settled = (tab: browser.Tabs.Tab): boolean => tab.url !== undefined && withoutFragment(tab.url) === url && tab.status === 'complete'
  return await new Promise<boolean>((resolve) => {
    const done = (answer: boolean): void => {
      clearTimeout(timer)
      browser.tabs.onUpdated.removeListener(updated)
      resolve(answer)
    }
    const updated = (id: number, _change: browser.Tabs.OnUpdatedChangeInfoType, tab: browser.Tabs.Tab): void => {
      if (id !== tabId) return
      if (settled(tab)) done(true)
    }
    const timer = setTimeout(() => { done(false) }, 3000)
    browser.tabs.onUpdated.addListener(updated)
    browser.tabs.get(tabId).then((tab) => { if (settled(tab)) done(true) }, () => { done(false) })
  })
}

const cache = pointerCache(browser.storage.local)
const warn = (message: string): void => { console.warn(`Peerback: ${message}`) }
const warnError = (what: string, url: string) => (error: unknown): void => { warn(`could not ${what} ${url}: ${String(error)}`) }

const discoveryDeps = (settings: Settings): DiscoveryDeps => ({
  cache,
  lookupTxt: dohClient({ resolverUrl: settings.dohResolver }),
  limits: { maxTotalBytes: settings.maxCopyBytes }
})

/** A host that has just opened may not listen yet: asked again, briefly. */
async function tellHost (ask: () => Promise<unknown>, attempts: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ask()
      return
    } catch (error) {
      // A host that has just opened may not listen yet: ask again, briefly.
      if (attempt >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

const session = cachedArea(browser.storage.session)
const toolbar = offHere(session)
const keeping = keepSharing({
  local: browser.storage.local,
  host: {
    open: async () => { await platform.openPrefetchHost() },
    closeIfIdle: async () => { if (!await racesOpen(session)) await platform.closePrefetchHost() },
    share: async (torrents, settings, uploadLeft, only) => { await tellHost(async () => await send('prefetch', 'share', { torrents, settings, uploadLeft, only }), 20) },
    // A host that is open stops sharing them; the folders are deleted here too (the worker shares
    // the extension's file system), so a closed host deletes nothing late.
    unshare: async (infoHashes) => {
      await send('prefetch', 'unshare', { infoHashes }).catch(() => {})
      await Promise.all(infoHashes.map(dropKept))
    },
    warm: async (page, pointer, mirrors, settings) => {
      let outcome: 'fetching' | 'unknown' = 'unknown'
      await tellHost(async () => { outcome = await send('prefetch', 'warm', { page, pointer, mirrors, settings }) }, 20)
      return outcome
    },
    stats: async () => await send('prefetch', 'sharingStats', {}).catch(() => null)
  },
  settings: loadSettings,
  pinOf: async (page) => (await cache.recall(page)).pin,
  swarmSize,
  now: Date.now
})
const background = createBackground({
  session,
  tabs: {
    get: async (tabId) => await browser.tabs.get(tabId).catch(() => null),
    showViewer: async (tabId, url) => { await platform.showViewer(tabId, url) },
    viewerTakesFailedEntry: platform.viewerTakesFailedEntry,
    navigate: async (tabId, url) => { await browser.tabs.update(tabId, { url }) },
    goBack: async (tabId) => { await browser.tabs.goBack(tabId) },
    settledOn: async (tabId, url) => await tabSettledOn(tabId, url)
  },
  clock: {
    now: Date.now,
    after: (ms, task) => { setTimeout(task, ms) },
    alarm: (name, at) => { void browser.alarms.create(name, { when: at }) },
    clearAlarm: (name) => { void browser.alarms.clear(name) }
  },
  prefetchHost: {
    open: async () => { await platform.openPrefetchHost() },
    // Kept pages are shared there too: it stays open for them.
    close: async () => { if (!await keeping.holdsHost()) await platform.closePrefetchHost() },
    start: async (request) => { await tellHost(async () => await send('prefetch', 'start', request), 20) },
    cancel: async (tabId) => { await tellHost(async () => await send('prefetch', 'cancel', { tabId }), 1) }
  },
  showBadge,
  t,
  extensionRoot: browser.runtime.getURL(''),
  instance: crypto.randomUUID(),
  settings: loadSettings,
  findTorrent: async (url, headers, settings, options) => await findTorrent(url, headers, { ...discoveryDeps(settings), ...options }),
  findSnapshot: async (url, settings) => await findSnapshot(url, settings),
  warn
})
const speculative = speculativeRequests()

// One look at each main-frame request as it is sent: its method, and whether it is a prerender.
browser.webRequest.onSendHeaders.addListener((details) => {
  speculative.note(details.requestId, details.requestHeaders)
  if (details.tabId >= 0 && isVisibleMainFrame(details)) background.methods.note(details.tabId, withoutFragment(details.url), details.method).catch(warnError('track', details.url))
}, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] }, ['requestHeaders'])

const copyFrames = copyFrameNavigations({ after: (ms, task) => { setTimeout(task, ms) } })

browser.webNavigation.onBeforeNavigate.addListener((details) => {
  // A link followed in a viewer's copy frame (a direct child of the tab's page): copy-frame.ts.
  if (details.frameId !== 0 && details.parentFrameId === 0) {
    const followed = followedTarget(details.url)
    if (followed !== null) copyFrames.note(details.tabId, followed, details.timeStamp)
  }
  if (!isVisibleMainFrame(details) || !WEB_URL.test(details.url)) return
  markMoment('navigation-start', details.timeStamp)
  background.navigationStarted(details.tabId, withoutFragment(details.url), details.timeStamp).catch(warnError('track', details.url))
})

browser.webNavigation.onCommitted.addListener((details) => {
  if (!isVisibleMainFrame(details)) return
  loadSettings().then(async (settings) => { await toolbar.show(details.tabId, details.url, settings) }).catch(warnError('set the button of', details.url))
  // The tab went on from a copy it was keeping: the host shares that copy from now on.
  keeping.tabLeft(details.tabId).catch(warnError('share the copy kept in', `tab ${details.tabId}`))
  if (!WEB_URL.test(details.url)) return
  const url = withoutFragment(details.url)
  background.stall.pageAnswered(details.tabId, url).catch(warnError('track', details.url))
  background.states.committed(details.tabId, url).catch(warnError('track', details.url))
})

// A failed navigation shows up twice: as the main-frame request's error (Chrome: some 30 ms after
// the navigation starts) and as the navigation's error (after the error page commits, some 170 ms
// later). The first one starts the failover; the other is recognised as the same failure.
platform.onRequestError((details) => {
  if (details.tabId >= 0 && isVisibleMainFrame(details) && !speculative.is(details.requestId, true)) onNavigationFailure(details.tabId, details.url, details.error, details.timeStamp)
})
browser.webNavigation.onErrorOccurred.addListener((event) => {
  // Both browsers send `error`; the polyfill's types leave it out.
  const details = event as typeof event & { error: string }
  if (!isVisibleMainFrame(details)) return
  markMoment('error-page', details.timeStamp)
  onNavigationFailure(details.tabId, details.url, details.error, details.timeStamp)
  // The browser's error page has committed, clearing the tab's badge: the state shows it again.
  if (WEB_URL.test(details.url)) background.errorPageShown(details.tabId, withoutFragment(details.url)).catch(warnError('track', details.url))
})

function onNavigationFailure (tabId: number, rawUrl: string, error: string, timeStamp: number): void {
  if (!WEB_URL.test(rawUrl)) return
  background.failover.navigationFailed(tabId, withoutFragment(rawUrl), platform.classifyNavigationError(error), error, timeStamp).catch(warnError('fail over', rawUrl))
}

browser.webRequest.onHeadersReceived.addListener((details) => {
  if (details.tabId < 0 || !isVisibleMainFrame(details) || speculative.is(details.requestId, details.statusCode < 300 || details.statusCode >= 400)) return
  const url = withoutFragment(details.url)
  const headers = details.responseHeaders ?? []
  background.responded(details.tabId, url, details.statusCode)
  if (details.statusCode >= 500 && details.method === 'GET') {
    background.failover.failingResponse(details.tabId, url, details.statusCode, headers, pickPointerHeaders(headers) !== null).catch(warnError('fail over', url))
    return
  }
  background.stall.pageAnswered(details.tabId, url).catch(warnError('track', url))
  if (isTorrentAnswer(details.statusCode, headers)) {
    onTorrentAnswer(details.tabId, url).catch(warnError('open the torrent answer of', url))
    return
  }
  if (details.statusCode >= 400) return
  const isPrivateTab = privateTab(details.tabId, (details as { incognito?: boolean }).incognito, pickPointerHeaders(headers) !== null)
  loadSettings().then(async (settings) => {
    const outcome = await onHealthyResponse(url, headers, { ...discoveryDeps(settings), settings, isPrivateTab, warn })
    if (outcome === 'remembered' && settings.keepSharing) await readToKeep(url, settings)
  }).catch(warnError('remember the pointers of', url))
}, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] }, ['responseHeaders'])

// Not allowed in private windows (the browsers' default), the extension hears of no tab there.
const reachesPrivateWindows = browser.extension.isAllowedIncognitoAccess().catch(() => true)

/**
 * Whether a tab is private, settled while the tab is surely open (a reader may close it before the
 * settings are read): Firefox says so in the request's details; Chrome only through the tab, asked
 * at once for a page that sends pointers (the pages that store something), later for the rest —
 * and only when the reader let the extension into private windows.
 */
function privateTab (tabId: number, flagged: boolean | undefined, askNow: boolean): () => Promise<boolean> {
  if (flagged !== undefined) return async () => await Promise.resolve(flagged)
  let asked: Promise<boolean> | null = null
  const ask = async (): Promise<boolean> => await (asked ??= reachesPrivateWindows.then(async (reached) => reached && (await browser.tabs.get(tabId)).incognito))
  if (askNow) ask().catch(() => {})
  return ask
}

/** A healthy page with a copy the site named: read again if kept, else offered to keep (keep-sharing.ts). */
async function readToKeep (url: string, settings: Settings): Promise<void> {
  const { torrent, mirrors } = await findTorrent(url, undefined, { ...discoveryDeps(settings), lookupDns: false })
  const pointer = torrent?.source === 'cache' && torrent.sitewide !== true ? torrent.pointer : null
  const infoHash = pointer?.kind === 'magnet' ? pointer.magnet.infoHash : pointer?.kind === 'file' ? pointer.infoHash : null
  if (pointer === null || infoHash === null) return
  const decision = await keeping.readHealthy(url, infoHash, pointer, mirrors)
  if (decision !== null) await session.set({ [keptDecisionKey(url)]: decision })
}
const keptDecisionKey = (url: string): string => `kept-decision:${url}`

browser.runtime.onStartup.addListener(() => {
  createMenu().catch(warnError('add', 'the link menu item'))
  keeping.start().catch(warnError('share', 'the kept pages'))
})
listenOnPurpose(async (tabId, tabUrl) => (await background.states.state(tabId))?.url ?? tabUrl, warn)

browser.alarms.onAlarm.addListener((alarm) => { background.onAlarm(alarm.name).catch(warnError('handle the alarm', alarm.name)) })

// Content negotiation: the header rule exists only while the setting is on. Dynamic rules outlive
// restarts, so they are set when the extension is installed or updated and when the setting changes.
// It needs two permissions the reader grants when turning it on (lib/optional-permissions.ts).
const negotiate = async (settings: Settings): Promise<void> => {
  const permissions = browserPermissions()
  if (!await hasPermissions(permissions.api, 'advertiseTorrent', permissions.optional)) return
  dropNegotiatedDownloads()
  await applyNegotiation(settings.advertiseTorrent && !settings.paused, settings.offSites)
}
browser.runtime.onInstalled.addListener(({ reason }) => {
  firstRun(reason).catch(warnError('open', 'the first-run page'))
  // A browser started with the extension on its command line reports each launch as an install.
  keeping.start().catch(warnError('share', 'the kept pages'))
  createMenu().catch(warnError('add', 'the link menu item'))
  loadSettings().then(negotiate).catch(warnError('set up', 'content negotiation'))
})
watchSettings((settings) => {
  negotiate(settings).catch(warnError('set up', 'content negotiation'))
  keeping.settingsChanged(settings).catch(warnError('apply the settings to', 'the kept pages'))
  toolbar.showAll(settings).catch(warnError('set the buttons of', 'the open tabs'))
})
browser.permissions.onAdded.addListener(() => { loadSettings().then(negotiate).catch(warnError('set up', 'content negotiation')) })

let dropping = false
/** Listens for the browser's downloads of negotiated torrents, once the downloads API is there. */
function dropNegotiatedDownloads (): void {
  if (dropping || browser.downloads === undefined) return
  dropping = true
  browser.downloads.onCreated.addListener((item) => { dropNegotiatedDownload(item).catch(warnError('drop the download of', item.url)) })
}
dropNegotiatedDownloads()

/** The site answered a navigation with its torrent: open it in the viewer instead of saving a file. */
async function onTorrentAnswer (tabId: number, url: string): Promise<void> {
  // With the setting off (or its permissions not granted), a .torrent the reader followed a link to is theirs to save.
  const permissions = browserPermissions()
  if (!(await loadSettings()).advertiseTorrent || !await hasPermissions(permissions.api, 'advertiseTorrent', permissions.optional)) return
  await negotiatedAnswer(url)
  await background.states.rememberDiscovery(tabId, {
    url,
    torrent: { source: 'negotiated', pointer: { kind: 'url', url }, secure: url.startsWith('https:'), authenticated: false },
    mirrors: [],
    digests: {},
    problems: []
  })
  await background.states.move(tabId, 'fetching', url)
  await platform.showViewer(tabId, viewerUrl(browser.runtime.getURL(''), url))
}

background.failover.resumeInterrupted().catch(warnError('resume the lookups of', 'a stopped worker'))

browser.tabs.onRemoved.addListener((tabId) => {
  background.tabClosed(tabId).catch(warnError('forget', `tab ${tabId}`))
  keeping.tabLeft(tabId).catch(warnError('share the copy kept in', `tab ${tabId}`))
  toolbar.forget(tabId).catch(warnError('forget', `tab ${tabId}`))
  copyFrames.forget(tabId)
})

const tabOf = (sender: browser.Runtime.MessageSender): number => {
  if (sender.tab?.id === undefined) throw new Error('this message must come from a tab')
  return sender.tab.id
}

listen('background', {
  tabFailure: async ({ tabId }) => await background.log.failure(tabId),
  cachedPointers: async ({ url }) => {
    const { page, site } = await cache.lookup(withoutFragment(url))
    return page ?? site
  },
  findTorrent: async ({ url, responseHeaders }) =>
    await findTorrent(withoutFragment(url), responseHeaders, discoveryDeps(await loadSettings())),
  settings: async () => await loadSettings(),
  tabState: async ({ tabId }) => await background.tabState(tabId),
  copyFor: async ({ url }, sender) => {
    const tabId = tabOf(sender)
    return await background.states.discoveryFor(tabId, url) ?? await findTorrent(url, undefined, discoveryDeps(await loadSettings()))
  },
  prefetchReady: async ({ tabId, url }) => await background.stall.copyReady(tabId, url),
  prefetchEnded: async ({ tabId, url, failure }) => await background.stall.copyEnded(tabId, url, failure),
  retrySite: async ({ url, tabId }, sender) => { await background.left.retryAsked(tabId ?? tabOf(sender), url); return true },
  reportStats: async (stats, sender) => { await background.states.rememberStats(tabOf(sender), stats); return true },
  tabStats: async ({ tabId }) => await background.states.stats(tabId),
  reportPhase: async ({ phase, url, message }, sender) => await background.states.move(tabOf(sender), phase, url, message),
  updateSettings: async (patch) => await saveSettings(patch),
  turnOffSite: async ({ site }) => await saveSettings((now) => ({ offSites: now.offSites.includes(site) ? now.offSites : [...now.offSites, site] })),
  turnOnSite: async ({ site }) => await saveSettings((now) => ({ offSites: now.offSites.filter((entry) => !isOffSite(site, [entry])) })),
  openCopy: async ({ tabId, url }) => await openCopy(tabId, url),
  forgetSites: async () => await cache.forgetAll(),
  copyFrameWent: async ({ since }, sender) => await copyFrames.since(tabOf(sender), since),
  openArchived: async ({ tabId, url }) => await background.archive.open(tabId, withoutFragment(url), await loadSettings()),
  // Nothing read in a private window outlives it.
  keep: async (request, sender) => sender.tab?.incognito === true ? false : await keeping.keep(request, sender.tab?.id),
  sharedUpload: async ({ bytes }) => await keeping.uploaded(bytes),
  sharingIdle: async () => { await keeping.idle(); return true },
  // When the host last kept the event page awake: how a test sees it stayed awake, without waking it.
  hostAwake: async () => { await session.set({ 'host-awake': Date.now() }); return true },
  sharing: async ({ page }) => {
    const status = await keeping.status()
    if (page === undefined) return status
    const url = withoutFragment(page)
    const decided = (await session.get([keptDecisionKey(url)]))[keptDecisionKey(url)] as SharingStatus['page'] | undefined
    return { ...status, page: await keeping.isKept(url) ? 'kept' : decided ?? null }
  },
  stopSharing: async () => await keeping.stopAll()
} satisfies Handlers<ToBackground>)
