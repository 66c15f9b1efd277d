// While a copy is open, is the site back? Asked cheaply (a HEAD request for the page, no cookies),
// at most once a minute, only while the tab is visible, and less often each time the site is
// still down. Pure: the viewer gives it the clock and the tab's visibility.

export const FIRST_PROBE_MS = 60_000
export const MOST_PROBE_MS = 15 * 60_000

export function siteProbe (startedAt: number) {
  let wait = FIRST_PROBE_MS
  let last = startedAt
  let asking = false
  return {
    /** Whether to ask the site now. */
    due (now: number, visible: boolean): boolean {
      if (asking || !visible || now - last < wait) return false
      asking = true
      return true
    },
    /** The answer (`back`: the site answered as a healthy site would) came in at `now`. */
    answered (now: number, back: boolean): void {
      asking = false
      last = now
      if (!back) wait = Math.min(wait * 2, MOST_PROBE_MS)
    }
  }
}

/** Whether a probe's answer means the site is back: any answer but an outage status. */
export const siteIsBack = (status: number, outageStatuses: readonly number[]): boolean =>
  status === 0 || (status < 500 && !outageStatuses.includes(status))
