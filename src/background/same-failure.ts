// One failed navigation, two events (the request's error and the navigation's): the failover runs
// once. In memory on purpose: the two events arrive within a fraction of a second of each other.

/** Events of one failure arrive this close together; a reload by the user comes later. */
export const SAME_FAILURE_MS = 2000

export interface SameFailureWindow {
  isNew: (tabId: number, url: string, at: number) => boolean
  /**
   * A navigation to `url` started at `at`: its failure is a new one, however soon (back, then
   * forward). Another page's start changes nothing: the last failure's second event may follow it.
   */
  started: (tabId: number, url: string, at: number) => void
}

export function sameFailureWindow (windowMs = SAME_FAILURE_MS): SameFailureWindow {
  const last = new Map<number, { url: string, at: number }>()
  return {
    started (tabId, url, at) {
      const previous = last.get(tabId)
      if (previous !== undefined && previous.url === url && previous.at < at) last.delete(tabId)
    },
    isNew (tabId, url, at) {
      const previous = last.get(tabId)
      last.set(tabId, { url, at })
      return previous === undefined || previous.url !== url || Math.abs(at - previous.at) > windowMs
    }
  }
}
