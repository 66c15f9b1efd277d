// The background's logic, built from its dependencies (ports.ts): index.ts wires it to the browser's
// events, the Node tests to memory and a fake clock. docs/design.md walks through a failed navigation.
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
  const left = leftCopies(deps.session)
  const log = navigationLog(deps.session)
  const methods = requestMethods(deps.session)
  const parts = { deps, states, races: raced, left, methods, inTabOrder }
  const stall = stallWatch(parts)
  const archive = archiveFallback(deps)
  const failures = failover({ ...parts, log, stall, archive })

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
     * handled (its failure is as recent or more) changes nothing.
     */
    async navigationStarted (tabId: number, url: string, at = deps.clock.now()): Promise<void> {
      const late = async (): Promise<boolean> => {
        const failure = await log.failure(tabId)
        return failure !== null && failure.url === url && failure.at >= at
      }
      if (await stall.navigationStarted(tabId, url, late)) await stall.watch(tabId, url, await deps.settings())
    },

    /** An alarm fired (clock.alarm): it may wake a background that stopped meanwhile. */
    async onAlarm (name: string): Promise<void> {
      await stall.alarm(name)
    },

    async tabClosed (tabId: number): Promise<void> {
      await Promise.all([log.forget(tabId), states.forget(tabId), stall.forget(tabId), left.forget(tabId), methods.forget(tabId)])
    }
  }
}
