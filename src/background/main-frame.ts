// Which events are about the reader's own visible navigation, and whether it may be replaced by a
// copy. A page prerendered out of sight (speculation rules) is not: Chromium reports its request as
// the tab's own main frame (frame 0, tab id and lifecycle `active` alike), and only its
// `Sec-Purpose: prefetch;prerender` header tells it apart. A form submission (POST, PUT…) is never
// replaced by or raced with a static copy.
import browser from 'webextension-polyfill'

export interface FrameDetails {
  frameId: number
  /** Chrome: `prerender` for a page prerendered out of sight. */
  documentLifecycle?: string
}

/** The tab's own top-level document, as the reader sees it (by frame; see also isSpeculative). */
export const isVisibleMainFrame = (details: FrameDetails): boolean =>
  details.frameId === 0 && details.documentLifecycle !== 'prerender'

// Main-frame requests made ahead of time (prerender, prefetch), by request id, until they end.
const speculative = new Set<string>()

/** From webRequest.onSendHeaders of a main-frame request, with its request headers. */
export function noteRequestHeaders (requestId: string, headers: Array<{ name: string, value?: string }> | undefined): void {
  const purpose = headers?.find(({ name }) => name.toLowerCase() === 'sec-purpose')?.value ?? ''
  if (/\b(prefetch|prerender)\b/i.test(purpose)) speculative.add(requestId)
}

/** Whether the request was made ahead of time, out of the reader's sight. Forgotten once asked at its end. */
export function isSpeculative (requestId: string, ended = false): boolean {
  const found = speculative.has(requestId)
  if (ended) speculative.delete(requestId)
  return found
}

// Navigations that are not GET, by tab: kept in memory and, as they are rare, in storage.session
// too, so a worker stopped and woken between the request and its failure still knows.
const nonGet = new Map<number, string>()
const methodKey = (tabId: number): string => `non-get:${tabId}`

/** From webRequest.onSendHeaders of a main-frame request. */
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
