// Which events are about the reader's own visible navigation, and whether it may be replaced by a
// copy. A prerendered page (speculation rules) has a main frame of its own that the reader does
// not see; a form submission (POST, PUT…) is never replaced by or raced with a static copy.
import browser from 'webextension-polyfill'

export interface FrameDetails {
  frameId: number
  /** Chrome: `prerender` for a page prerendered out of sight. */
  documentLifecycle?: string
}

/** The tab's own top-level document, as the reader sees it. */
export const isVisibleMainFrame = (details: FrameDetails): boolean =>
  details.frameId === 0 && details.documentLifecycle !== 'prerender'

// Navigations that are not GET, by tab: kept in memory and, as they are rare, in storage.session
// too, so a worker stopped and woken between the request and its failure still knows.
const nonGet = new Map<number, string>()
const methodKey = (tabId: number): string => `non-get:${tabId}`

/** From webRequest.onBeforeRequest of a main-frame request. */
export async function noteMethod (tabId: number, url: string, method: string): Promise<void> {
  if (method.toUpperCase() !== 'GET') {
    nonGet.set(tabId, url)
    await browser.storage.session.set({ [methodKey(tabId)]: url })
  } else if (nonGet.delete(tabId)) {
    await browser.storage.session.remove(methodKey(tabId))
  }
}

/** Whether the tab's navigation to `url` was a form submission or another non-GET request. */
export async function isNonGet (tabId: number, url: string): Promise<boolean> {
  if (nonGet.has(tabId)) return nonGet.get(tabId) === url
  return (await browser.storage.session.get(methodKey(tabId)))[methodKey(tabId)] === url
}

export async function forgetMethod (tabId: number): Promise<void> {
  if (nonGet.delete(tabId)) await browser.storage.session.remove(methodKey(tabId))
}
