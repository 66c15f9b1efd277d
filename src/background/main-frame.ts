// Which events are about the reader's own visible navigation, and whether it may be replaced by a
// copy. A page prerendered out of sight (speculation rules) is not: Chromium reports its request as
// the tab's own main frame (frame 0, tab id and lifecycle `active` alike), and only its
// `Sec-Purpose: prefetch;prerender` header tells it apart. A form submission (POST, PUT…) is never
// replaced by or raced with a static copy.
import type { StorageArea } from './ports'

export interface FrameDetails {
  frameId: number
  /** Chrome: `prerender` for a page prerendered out of sight. */
  documentLifecycle?: string
}

/** The tab's own top-level document, as the reader sees it (by frame; see also isSpeculative). */
export const isVisibleMainFrame = (details: FrameDetails): boolean =>
  details.frameId === 0 && details.documentLifecycle !== 'prerender'

/** Main-frame requests made ahead of time (prerender, prefetch), by request id, until they end. */
export function speculativeRequests () {
  const speculative = new Set<string>()
  return {
    /** From webRequest.onSendHeaders of a main-frame request, with its request headers. */
    note (requestId: string, headers: Array<{ name: string, value?: string }> | undefined): void {
      const purpose = headers?.find(({ name }) => name.toLowerCase() === 'sec-purpose')?.value ?? ''
      if (/\b(prefetch|prerender)\b/i.test(purpose)) speculative.add(requestId)
    },
    /** Whether the request was made ahead of time, out of the reader's sight. Forgotten once asked at its end. */
    is (requestId: string, ended = false): boolean {
      const found = speculative.has(requestId)
      if (ended) speculative.delete(requestId)
      return found
    }
  }
}

export type RequestMethods = ReturnType<typeof requestMethods>

/**
 * Navigations that are not GET, by tab: kept in memory and, as they are rare, in storage.session
 * too, so a worker stopped and woken between the request and its failure still knows.
 */
export function requestMethods (session: StorageArea) {
  const nonGet = new Map<number, string>()
  // The last request each tab sent that this instance saw: a failure of one it saw needs no storage.
  const seen = new Map<number, string>()
  const methodKey = (tabId: number): string => `non-get:${tabId}`
  return {
    /** From webRequest.onSendHeaders of a main-frame request. */
    async note (tabId: number, url: string, method: string): Promise<void> {
      seen.set(tabId, url)
      if (method.toUpperCase() !== 'GET') {
        nonGet.set(tabId, url)
        await session.set({ [methodKey(tabId)]: url })
      } else if (nonGet.delete(tabId)) {
        await session.remove([methodKey(tabId)])
      }
    },
    /** Whether the tab's navigation to `url` was a form submission or another non-GET request. */
    async isNonGet (tabId: number, url: string): Promise<boolean> {
      if (nonGet.has(tabId)) return nonGet.get(tabId) === url
      if (seen.get(tabId) === url) return false
      return (await session.get([methodKey(tabId)]))[methodKey(tabId)] === url
    },
    async forget (tabId: number): Promise<void> {
      seen.delete(tabId)
      if (nonGet.delete(tabId)) await session.remove([methodKey(tabId)])
    }
  }
}
