// A page failed: is there a copy? If so, open it in the viewer (or offer it, when automatic
// failover is off). If not, leave the browser's own error page alone and say why in the popup.
import { whyNoCopy } from '../lib/discovery'
import { markMoment } from '../lib/moments'
import type { FailureKind, Trigger } from '../lib/records'
import type { Settings } from '../lib/settings'
import { viewerUrl } from '../lib/viewer-url'
import type { RawHeader } from '../protocol/pointer-headers'
import type { ArchiveFallback } from './archive-fallback'
import { decideFailover } from './failover-policy'
import type { NavigationLog } from './navigation-log'
import { sameFailureWindow } from './same-failure'
import type { StallParts, StallWatch } from './stall-watch'

export interface FailoverParts extends StallParts {
  log: NavigationLog
  stall: StallWatch
  archive: ArchiveFallback
}

export function failover ({ deps, states, races, left, methods, inTabOrder, log, stall, archive }: FailoverParts) {
  const { t } = deps
  const failures = sameFailureWindow()

  /**
   * Moves the tab only while it is still about `url`: a failure (at `at`) handled after the reader
   * went on to another page never touches that page's state. A state older than the failure is
   * not a page the reader went on to: it is the one before, whose start came late (Firefox).
   */
  const moveIfStillOn = async (tabId: number, url: string, at: number, move: () => Promise<unknown>): Promise<void> => {
    await inTabOrder(tabId, async () => {
      const state = await states.state(tabId)
      if (state === null || state.url === url || state.since < at) await move()
    })
  }

  /**
   * `bookkeeping`: the failure's own records (still being written); the lookup does not wait for
   * them, the tab's next state does.
   */
  async function failOver (tabId: number, url: string, trigger: Trigger, responseHeaders: RawHeader[] | undefined, settings: Settings, bookkeeping: Promise<unknown>, at = deps.clock.now()): Promise<void> {
    if (!decideFailover(url, trigger, settings).go) {
      await bookkeeping
      // A slow page that answered after all, with an error that is not an outage (a plain 500).
      await inTabOrder(tabId, async () => { if ((await races.of(tabId))?.url === url) await races.end(tabId) })
      return
    }
    // The popup's "looking up" and the lookup itself, side by side.
    const [, discovery] = await Promise.all([
      bookkeeping.then(async () => { await moveIfStillOn(tabId, url, at, async () => await states.move(tabId, 'looking-up', url, undefined, trigger)) }),
      deps.findTorrent(url, responseHeaders, settings)
    ])
    await states.rememberDiscovery(tabId, discovery)
    // No torrent, but mirrors the site named: the viewer fetches from them (docs/protocol.md, Mirrors).
    if (discovery.torrent === null && discovery.mirrors.length === 0) {
      await noCopy(tabId, url, whyNoCopy(discovery, t), settings, at)
      return
    }
    markMoment('copy-found')
    if (!settings.autoFailover) {
      await moveIfStillOn(tabId, url, at, async () => await states.move(tabId, 'offered', url))
      return
    }
    await inTabOrder(tabId, async () => {
      // The reader went on to another page while the copy was looked up: that page is theirs.
      if ((await states.state(tabId))?.url !== url) return
      // In turn with the navigation's start, which notes whether it left the copy.
      if (await left.left(tabId, url)) {
        await states.move(tabId, 'offered', url, t('stateLeftCopy'))
        return
      }
      // A page that was slow first: the prefetch host may already hold (part of) its copy.
      const race = await races.of(tabId)
      const handoff = race?.url === url
      if (race !== null && handoff) {
        if (race.switched) return
        await races.switched(tabId, race)
      }
      await states.move(tabId, 'fetching', url)
      await deps.tabs.showViewer(tabId, viewerUrl(deps.extensionRoot, url, { handoff }))
      markMoment('viewer-opened')
    })
  }

  /** Nothing from peers or mirrors: the archive's snapshot, if the reader wants it sought at once. */
  async function noCopy (tabId: number, url: string, why: string, settings: Settings, at: number): Promise<void> {
    let message = why
    if (settings.archiveAuto) {
      const stillOn = async (): Promise<boolean> => (await states.state(tabId))?.url === url
      const answer = await archive.open(tabId, url, settings, stillOn)
      if (answer.kind === 'found') return
      message = answer.kind === 'none' ? t('noCopyNoArchive', why) : t('noCopyArchiveUnreachable', why, answer.why)
    }
    await moveIfStillOn(tabId, url, at, async () => await states.move(tabId, 'no-copy', url, message))
  }

  return {
    /**
     * A visible main-frame navigation to `url` started in the tab at `at`. Says whether it is late:
     * an event of its own failure, seen already, is as recent.
     */
    navigationStarted (tabId: number, url: string, at: number): boolean {
      return failures.started(tabId, url, at)
    },

    /**
     * A main-frame navigation failed (`url` without its fragment). A failed navigation shows up
     * twice (the request's error, then the navigation's): the failover runs once.
     */
    async navigationFailed (tabId: number, url: string, kind: FailureKind, error: string, at: number): Promise<void> {
      // An aborted navigation is the user's doing (stop button, a new URL typed), not an outage.
      if (kind === 'aborted' || !failures.isNew(tabId, url, at)) return
      markMoment('failure-seen')
      // A form submission is the reader's, not a page to show a static copy of.
      if (await methods.isNonGet(tabId, url)) return
      // The lookup starts at once; the bookkeeping runs beside it: every millisecond here is the reader's.
      const bookkeeping = stall.pageFailed(tabId, url, async () => { await log.record(tabId, { url, kind, error, at }) })
      await failOver(tabId, url, { kind: 'navigation-error', failure: kind }, undefined, await deps.settings(), bookkeeping, at)
    },

    /** A GET main-frame request answered with a 5xx status. */
    async failingResponse (tabId: number, url: string, status: number, headers: RawHeader[], hasPointers: boolean): Promise<void> {
      markMoment('failure-seen')
      const bookkeeping = stall.pageFailed(tabId, url)
      await failOver(tabId, url, { kind: 'status', status, hasPointers }, headers, await deps.settings(), bookkeeping)
    },

    /**
     * A worker stopped in the middle of a lookup took it along; this instance, woken by whatever
     * event, finishes it for the same trigger (the failing response's headers are gone: cache and
     * DNS only).
     */
    async resumeInterrupted (): Promise<void> {
      for (const { tabId, url, trigger } of await states.interrupted()) {
        if (trigger === null) continue
        await failOver(tabId, url, trigger, undefined, await deps.settings(), Promise.resolve())
      }
    }
  }
}
