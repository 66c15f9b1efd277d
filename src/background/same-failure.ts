// One failed navigation, two events (the request's error and the navigation's): the failover runs
// once. In memory on purpose: the two events arrive within a fraction of a second of each other.

/** Events of one failure arrive this close together; a reload by the user comes later. */
export const SAME_FAILURE_MS = 2000

export interface SameFailureWindow {
  isNew: (tabId: number, url: string, at: number) => boolean
  /**
   * A navigation to `url` started at `at`: its failure is a new one, however soon (back, then
   * forward). Another page's start changes nothing: the last failure's second event may follow it.
   * Says whether the start is late: an event of this page's failure, already seen, is as recent or
   * more (Firefox can stamp a start after the request's error, and deliver it after both errors).
   */
  started: (tabId: number, url: string, at: number) => boolean
}

export function sameFailureWindow (windowMs = SAME_FAILURE_MS): SameFailureWindow {
  const last = new Map<number, { url: string, at: number }>()
  return {
    started (tabId, url, at) {
      const previous = last.get(tabId)
      if (previous === undefined || previous.url !== url) return false
      if (previous.at >= at) return true
      last.delete(tabId)
      return false
    },
    isNew (tabId, url, at) {
      const previous = last.get(tabId)
      last.set(tabId, { url, at })
      return previous === undefined || previous.url !== url || Math.abs(at - previous.at) > windowMs
    }
  }
}
