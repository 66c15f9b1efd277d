// The moments of a failover, as marks in the performance timeline of the context that reaches them
// (background or viewer): DevTools' Performance panel shows them, and `npm run bench` reads them to
// break the failover time down. One mark per name: the last failover's.

export type Moment =
  /** Background: a main-frame navigation started (the time the browser gives it). */
  | 'navigation-start'
  /** Background: the navigation failed (or answered with an outage status). */
  | 'failure-seen'
  /** Background: the browser's own error page for the failed navigation committed (the time the browser gives it). */
  | 'error-page'
  /** Background: discovery found the copy's torrent. */
  | 'copy-found'
  /** Background: the tab was sent to the viewer. */
  | 'viewer-opened'
  /** Viewer: its script runs. */
  | 'viewer-start'
  /** Viewer: the prefetch host handed the copy over (the three moments after this one are then the host's). */
  | 'handed-over'
  /** Viewer (or the prefetch host): the torrent's metadata is known and checked. */
  | 'metadata'
  /** Viewer: the first piece arrived from a peer or web seed, or pieces from the prefetch host. */
  | 'first-byte'
  /** Viewer: the page's document is complete. */
  | 'document'
  /** Viewer: the copy is on screen. */
  | 'rendered'
  /** Viewer: every file of the torrent is here. */
  | 'complete'

/** `at`: when it happened (epoch ms), if not now. */
export function markMoment (moment: Moment, at?: number): void {
  const name = `peerback:${moment}`
  performance.clearMarks(name)
  performance.mark(name, at === undefined ? undefined : { startTime: Math.max(0, at - performance.timeOrigin) })
}
