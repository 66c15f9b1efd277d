// The background's logic, built from its dependencies (ports.ts): index.ts wires it to the browser's
// events, the Node tests to memory and a fake clock. docs/design.md walks through a failed navigation.
import type { TabState } from '../lib/tab-state'
import { archiveFallback } from './archive-fallback'
import { failover } from './failover'
import { leftCopies } from './left-copy'
import { requestMethods } from './main-frame'
import { navigationLog } from './navigation-log'
import type { BackgroundDeps } from './ports'
import { races } from './race'
import { stallWatch } from './stall-watch'
import { tabQueue } from './tab-queue'
import { tabStates } from './tab-states'

export type Background = ReturnType<typeof createBackground>

export function createBackground (deps: BackgroundDeps) {
  const inTabOrder = tabQueue()
  const states = tabStates(deps)
  const raced = races(deps)
  const left = leftCopies(deps.session, !deps.tabs.viewerTakesFailedEntry)
  const log = navigationLog(deps.session)
  const methods = requestMethods(deps.session)
  const parts = { deps, states, races: raced, left, methods, inTabOrder }
  const stall = stallWatch(parts)
  const archive = archiveFallback(deps)
  const failures = failover({ ...parts, log, stall, archive })
  // The page each tab's site last refused (a 404…), while no other response came: the popup says so.
  const refusals = new Map<number, { url: string, status: number }>()

  return {
    states,
    log,
    methods,
    left,
    stall,
    archive,
    failover: failures,

    /**
     * A visible main-frame navigation to an http(s) URL (without its fragment) starts, at `at` (the
     * browser's time stamp). A start that arrives after the failure of this very navigation was
     * handled (an event of its failure is as recent or more) changes nothing. The failure's log
     * answers for a worker that stopped in between.
     */
    async navigationStarted (tabId: number, url: string, at = deps.clock.now()): Promise<void> {
      const lateHere = failures.navigationStarted(tabId, url, at)
      const late = async (): Promise<boolean> => {
        if (lateHere) return true
        const failure = await log.failure(tabId)
        return failure !== null && failure.url === url && failure.at >= at
      }
      if (await stall.navigationStarted(tabId, url, late)) await stall.watch(tabId, url, await deps.settings())
    },

    /**
     * The browser's error page for `url` has committed in the tab. A reader who left the copy for
     * its page (Chrome's "back" from the viewer lands on the failed page's own history entry) is
     * taken on one more step: back to the page before, or, when they had typed the address again
     * from the copy, to the copy. The copy does not reopen over the failed entry (its "back" would
     * land there again), nor does the reader stay on an error page they have already seen.
     */
    async errorPageShown (tabId: number, url: string): Promise<void> {
      await states.committed(tabId, url)
      // In turn with the navigation's start, which notes whether it left the copy.
      if (!await inTabOrder(tabId, async () => await left.left(tabId, url))) return
      // Not before the error page is the tab's current entry: "back" from the viewer's own entry
      // would land on the failed page again. Nothing behind it (the page failed in a new tab):
      // the popup offers the copy instead.
      if (await deps.tabs.settledOn(tabId, url)) await deps.tabs.goBack(tabId).catch(() => {})
    },

    /**
     * A main-frame response arrived with `status`. A client error (404, 410…) is the site's own
     * answer, which no copy replaces: while the tab is on that page, its state says so.
     */
    responded (tabId: number, url: string, status: number): void {
      if (status >= 400 && status < 500) refusals.set(tabId, { url, status })
      else refusals.delete(tabId)
    },

    /** The tab's state as the popup shows it. */
    async tabState (tabId: number): Promise<TabState | null> {
      const state = await states.state(tabId)
      const refusal = refusals.get(tabId)
      if (state?.phase !== 'watching' || refusal?.url !== state.url) return state
      return { ...state, message: deps.t('stateSiteAnswered', String(refusal.status)) }
    },

    /** An alarm fired (clock.alarm): it may wake a background that stopped meanwhile. */
    async onAlarm (name: string): Promise<void> {
      await stall.alarm(name)
    },

    async tabClosed (tabId: number): Promise<void> {
      refusals.delete(tabId)
      await Promise.all([log.forget(tabId), states.forget(tabId), stall.forget(tabId), left.forget(tabId), methods.forget(tabId)])
    }
  }
}
