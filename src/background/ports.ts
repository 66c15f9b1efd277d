// What the background's logic needs from the browser, as interfaces: index.ts gives it the real
// APIs, the Node tests (test/node/background-*.test.ts) give it memory and a fake clock.
import type { ArchiveAnswer } from '../lib/archive'
import type { CopyStats } from '../lib/copy-stats'
import type { Discovery } from '../lib/discovery'
import type { Translate } from '../lib/i18n-keys'
import type { ToPrefetch } from '../lib/messages'
import type { Settings } from '../lib/settings'
import type { TabState } from '../lib/tab-state'
import type { RawHeader } from '../protocol/pointer-headers'

/** storage.local or storage.session; `get(null)` reads everything. */
export interface StorageArea {
  get: (keys: string[] | null) => Promise<Record<string, unknown>>
  set: (items: Record<string, unknown>) => Promise<void>
  remove: (keys: string[]) => Promise<void>
}

export interface TabInfo {
  url?: string
  /** A navigation that has started and not committed. */
  pendingUrl?: string
}

export interface Tabs {
  /** null for a tab that is gone. */
  get: (tabId: number) => Promise<TabInfo | null>
  /** Sends a tab to the viewer; where the browser can, the viewer takes the failed page's history entry. */
  showViewer: (tabId: number, viewerUrl: string) => Promise<void>
  /** Whether it can: then "back" from a viewer never lands on its failed page. */
  readonly viewerTakesFailedEntry: boolean
  /** Sends a tab to a web address (an archived snapshot). */
  navigate: (tabId: number, url: string) => Promise<void>
  /** Goes one step back in the tab's history; rejects when there is none. */
  goBack: (tabId: number) => Promise<void>
  /**
   * Resolves true once the tab shows `url` as its committed page with nothing loading (an error
   * page too), false if it goes elsewhere or has not within a few seconds.
   */
  settledOn: (tabId: number, url: string) => Promise<boolean>
}

export interface Clock {
  now: () => number
  /** Runs `task` after `ms`, in this background instance's lifetime only. */
  after: (ms: number, task: () => void) => void
  /** Wakes the background at `at` (epoch ms) even if it stopped meanwhile: Background.onAlarm(name). */
  alarm: (name: string, at: number) => void
  clearAlarm: (name: string) => void
}

/** The page outside any tab that fetches the copies of slow pages (src/prefetch/). */
export interface PrefetchHost {
  open: () => Promise<void>
  close: () => Promise<void>
  /** Fetch this copy (the host may have just opened: it is asked until it listens). */
  start: (request: ToPrefetch['start']['request']) => Promise<void>
  /** Drop the copy for this tab, if the host still has it. */
  cancel: (tabId: number) => Promise<void>
}

export interface BackgroundDeps {
  session: StorageArea
  tabs: Tabs
  clock: Clock
  prefetchHost: PrefetchHost
  showBadge: (tabId: number, state: TabState, stats: CopyStats | null) => Promise<void>
  t: Translate
  /** The extension's root URL, for viewer addresses. */
  extensionRoot: string
  /** This background instance: a lookup is tagged with it, so a later instance knows it was cut off. */
  instance: string
  settings: () => Promise<Settings>
  /** Discovery (discovery.ts) with what the settings choose; `lookupDns: false` asks DNS nothing. */
  findTorrent: (url: string, headers: RawHeader[] | undefined, settings: Settings, options?: { lookupDns?: boolean }) => Promise<Discovery>
  /** Asks the reader's web archive for a page's snapshot (lib/archive.ts). */
  findSnapshot: (url: string, settings: Settings) => Promise<ArchiveAnswer>
  warn: (message: string) => void
}
