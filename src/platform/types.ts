import type { FailureKind } from '../lib/records'
import type { Renderer, RendererEvents } from '../render/renderer'
import type { BrowserName } from './manifest'

/** What each browser's module exports; `@platform` resolves to one of them at build time. */
export interface Platform {
  readonly browser: BrowserName
  /** Maps the `error` of webNavigation.onErrorOccurred to a failure kind. */
  classifyNavigationError: (error: string) => FailureKind
  /**
   * How the viewer puts a copy on screen. Chrome: in the manifest sandbox page (opaque origin,
   * inline scripts allowed), loaded once `after` settles. Firefox has no sandbox pages: a sandboxed
   * srcdoc frame, where the extension's policy keeps the copy's scripts from running.
   */
  createRenderer: (container: HTMLElement, title: string, after: Promise<unknown>, events: RendererEvents) => Renderer
  /**
   * Sends a tab to the viewer. Firefox's tabs.update takes `loadReplace`: the viewer replaces the
   * failed page in history; Chrome cannot, and "back" from the viewer reloads the failed page.
   */
  showViewer: (tabId: number, viewerUrl: string) => Promise<void>
  /** Whether showViewer's viewer takes the failed page's history entry (Firefox) or follows it (Chrome). */
  readonly viewerTakesFailedEntry: boolean
  /**
   * Calls `listener` when a main-frame request fails, where that may start the failover. Chrome:
   * webRequest.onErrorOccurred, ~170 ms before the navigation's own error. Firefox: never — its
   * webRequest events can overtake the navigation's onBeforeNavigate, which would then reset the
   * tab's state; the navigation's error alone starts it.
   */
  onRequestError: (listener: (details: RequestErrorDetails) => void) => void
  /**
   * Opens the prefetch host (src/prefetch/prefetch.html), a page outside any tab that fetches the
   * copies of slow pages: an offscreen document on Chrome, a frame of the background page on
   * Firefox. Resolves once it listens; opening an open host does nothing.
   */
  openPrefetchHost: () => Promise<void>
  closePrefetchHost: () => Promise<void>
  /**
   * Called in the host while it shares kept pages; returns the call that ends it. Firefox: the host
   * is a frame of the event page, which idles out (frames, peer connections and all) after 30 s
   * without an event, so the host sends it one every 20 s. Chrome: nothing; the offscreen document
   * lives on its own, and waking the worker would cost its memory.
   */
  keepHostAwake: () => () => void
}

export interface RequestErrorDetails {
  tabId: number
  frameId: number
  requestId: string
  url: string
  error: string
  timeStamp: number
  documentLifecycle?: string
}

export const PREFETCH_PAGE = 'src/prefetch/prefetch.html'
