// The background's logic (src/background/background.ts) over memory, a fake clock and a recording
// prefetch host and tab strip: what a stopped worker loses is whatever is not in `session`.
import { createBackground, type Background } from '../../src/background/background.ts'
import type { BackgroundDeps } from '../../src/background/ports.ts'
import type { ArchiveAnswer } from '../../src/lib/archive.ts'
import type { Discovery } from '../../src/lib/discovery.ts'
import type { ToPrefetch } from '../../src/lib/messages.ts'
import { DEFAULT_SETTINGS, type Settings } from '../../src/lib/settings.ts'
import { english } from '../unit/english.ts'
import { memoryArea } from './memory-area.ts'

export const ROOT = 'chrome-extension://peerback/'

export function fakeClock (start = 1_000_000) {
  let now = start
  let timers: Array<{ at: number, task: () => void }> = []
  const alarms = new Map<string, number>()
  return {
    alarms,
    now: () => now,
    after: (ms: number, task: () => void) => { timers.push({ at: now + ms, task }) },
    alarm: (name: string, at: number) => { alarms.set(name, at) },
    clearAlarm: (name: string) => { alarms.delete(name) },
    /** Moves time on, running this instance's due timers; returns the alarms that came due. */
    advance (ms: number): string[] {
      now += ms
      const due = timers.filter((timer) => timer.at <= now)
      timers = timers.filter((timer) => timer.at > now)
      for (const timer of due) timer.task()
      const dueAlarms = [...alarms].filter(([, at]) => at <= now).map(([name]) => name)
      for (const name of dueAlarms) alarms.delete(name)
      return dueAlarms
    },
    /** A stopped worker's timers die with it; its alarms do not. */
    stopTimers () { timers = [] }
  }
}

export const copyOf = (url: string): Discovery => ({
  url,
  torrent: { source: 'dns-page', pointer: { kind: 'magnet', magnet: { uri: 'magnet:?xt=urn:btih:' + 'a'.repeat(40), infoHash: 'a'.repeat(40), trackers: [], webSeeds: [] } }, secure: false, authenticated: false },
  mirrors: [],
  digests: {},
  problems: []
})

export const nothingFor = (url: string): Discovery => ({ url, torrent: null, mirrors: [], digests: {}, problems: [] })

/** One browser: storage.session, tabs and the prefetch host outlive any background instance. */
/** `viewerTakesFailedEntry`: Firefox's history; Chrome's by default. */
export function fakeBrowser (settings: Partial<Settings> = {}, { viewerTakesFailedEntry = false } = {}) {
  const session = memoryArea()
  const clock = fakeClock()
  const tabUrls = new Map<number, string>()
  const viewerOpened: Array<{ tabId: number, url: string }> = []
  const told: Array<{ type: keyof ToPrefetch, tabId: number, url?: string }> = []
  const lookups: Array<{ url: string, lookupDns: boolean | undefined }> = []
  let answer: (url: string) => Promise<Discovery> = async (url) => copyOf(url)
  let hostOpen = false
  const navigated: Array<{ tabId: number, url: string }> = []
  const archiveAsked: string[] = []
  let archive: (url: string) => Promise<ArchiveAnswer> = async () => ({ kind: 'none' })
  const warnings: string[] = []
  const behind = new Set<number>()
  const wentBack: number[] = []

  const deps = (instance: string): BackgroundDeps => ({
    session,
    tabs: {
      get: async (tabId) => tabUrls.has(tabId) ? { url: tabUrls.get(tabId) } : null,
      showViewer: async (tabId, url) => { viewerOpened.push({ tabId, url }); tabUrls.set(tabId, url) },
      viewerTakesFailedEntry,
      navigate: async (tabId, url) => { navigated.push({ tabId, url }); tabUrls.set(tabId, url) },
      settledOn: async () => await Promise.resolve(true),
      goBack: async (tabId) => {
        if (!behind.has(tabId)) throw new Error('Cannot find a next page in history.')
        wentBack.push(tabId)
      }
    },
    clock,
    prefetchHost: {
      open: async () => { hostOpen = true },
      close: async () => { hostOpen = false },
      start: async (request) => { told.push({ type: 'start', ...request }) },
      cancel: async (tabId) => { told.push({ type: 'cancel', tabId }) }
    },
    showBadge: async () => {},
    t: english,
    extensionRoot: ROOT,
    instance,
    settings: async () => ({ ...DEFAULT_SETTINGS, ...settings }),
    findTorrent: async (url, _headers, _settings, options) => {
      lookups.push({ url, lookupDns: options?.lookupDns })
      return await answer(url)
    },
    findSnapshot: async (url) => {
      archiveAsked.push(url)
      return await archive(url)
    },
    warn: (message) => { warnings.push(message) }
  })

  let count = 0
  return {
    session,
    clock,
    viewerOpened,
    navigated,
    archiveAsked,
    told,
    lookups,
    warnings,
    hostOpen: () => hostOpen,
    wentBack,
    /** The tab has a page behind the current one in its history. */
    hasHistory (tabId: number) { behind.add(tabId) },
    /** A tab shows `url` (the failed page's error page, or a page). */
    showing (tabId: number, url: string) { tabUrls.set(tabId, url) },
    answerWith (next: (url: string) => Promise<Discovery>) { answer = next },
    archiveAnswers (next: (url: string) => Promise<ArchiveAnswer>) { archive = next },
    /** A new background instance: the worker (re)started. */
    start (): Background { return createBackground(deps(`instance-${++count}`)) }
  }
}

/** Every promise chain that is ready to run has run. */
export const settle = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve)) }
