// Where a viewer's copy frame went when it navigated by itself: Firefox's copy is a sandboxed
// srcdoc frame whose same-site links navigate that frame (no script of ours runs in it to catch
// the click, as Chrome's sandbox page does). The background sees the frame's navigation start;
// the viewer, seeing its frame load something else, asks where it went and shows that page from
// the copy instead of leaving it. Kept in memory: one entry per tab, the last one only.

export function copyFrameNavigations (clock: { after: (ms: number, task: () => void) => void }) {
  const last = new Map<number, { url: string, at: number }>()
  const waiting = new Map<number, Array<() => void>>()

  return {
    /** A direct child frame of the tab's page started to load `url` (at `at`, the browser's time). */
    note (tabId: number, url: string, at: number): void {
      last.set(tabId, { url, at })
      for (const wake of waiting.get(tabId) ?? []) wake()
      waiting.delete(tabId)
    },

    /** The address the tab's frame went to at or after `since`; waits up to `waitMs` for it to be seen. */
    async since (tabId: number, since: number, waitMs = 2000): Promise<string | null> {
      const seen = (): string | null => {
        const entry = last.get(tabId)
        return entry !== undefined && entry.at >= since ? entry.url : null
      }
      if (seen() !== null) return seen()
      await new Promise<void>((resolve) => {
        waiting.set(tabId, [...(waiting.get(tabId) ?? []), resolve])
        clock.after(waitMs, resolve)
      })
      return seen()
    },

    forget (tabId: number): void {
      last.delete(tabId)
      waiting.delete(tabId)
    }
  }
}
