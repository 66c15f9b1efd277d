// A page that has not answered within the slow threshold races its peer copy (docs/protocol.md): the
// copy is fetched in the prefetch host while the page keeps loading, and the tab switches to it
// only once it is ready. If the page answers first, the copy is dropped. With automatic failover
// off, the copy is only offered in the popup.
//
// A threshold the worker may not live to see (30 s or more: an idle worker stops after 30 s) is an
// alarm, with its deadline in storage.session, so the watch survives a stopped worker. A shorter
// one is a timer of this instance and costs a healthy page no storage at all: a page that answers
// in time only disarms it.
import type { Settings } from '../lib/settings'
import { viewerUrl } from '../lib/viewer-url'
import { decideFailover } from './failover-policy'
import type { LeftCopies } from './left-copy'
import type { RequestMethods } from './main-frame'
import type { BackgroundDeps } from './ports'
import type { Races } from './race'
import type { InTabOrder } from './tab-queue'
import type { TabStates } from './tab-states'

/** Thresholds from this long on are alarms: an idle worker may stop before a timer fires. */
export const ALARM_FROM_MS = 30_000
const STALL_ALARM = 'stall:'

interface Stall { url: string, at: number }

export interface StallParts {
  deps: BackgroundDeps
  states: TabStates
  races: Races
  left: LeftCopies
  methods: RequestMethods
  inTabOrder: InTabOrder
}

export type StallWatch = ReturnType<typeof stallWatch>

export function stallWatch ({ deps, states, races, left, methods, inTabOrder }: StallParts) {
  const { session, clock, t } = deps
  const answeredKey = (tabId: number): string => `answered:${tabId}`
  const stallKey = (tabId: number): string => `stall:${tabId}`

  // Which page each tab answered with, known in this instance's lifetime: a page answers twice (its
  // response headers, then its commit), and the second time needs no storage round trips.
  const answeredHere = new Map<number, string>()
  // Watches this instance's timers will check, by tab: a page that answers first disarms its own.
  const armed = new Map<number, Stall>()

  const answered = async (tabId: number, url: string): Promise<boolean> =>
    (await session.get([answeredKey(tabId)]))[answeredKey(tabId)] === url

  async function stillWaiting (tabId: number, url: string): Promise<boolean> {
    const state = await states.state(tabId)
    // A slow form submission (a checkout) is the reader's to wait for: never raced.
    return !await answered(tabId, url) && state?.phase === 'watching' && state.url === url && !await methods.isNonGet(tabId, url)
  }

  /** The deadline of `tabId`'s alarm has come: take its watch (once), and check it. */
  async function check (tabId: number): Promise<void> {
    const found = await inTabOrder(tabId, async () => {
      const stored = (await session.get([stallKey(tabId)]))[stallKey(tabId)] as Stall | undefined
      if (stored !== undefined) await session.remove([stallKey(tabId)])
      return stored ?? null
    })
    if (found !== null) await checkStall(tabId, found.url)
  }

  /** A watch's deadline has come: race the copy if the page still has not answered. */
  async function checkStall (tabId: number, url: string): Promise<void> {
    if (!await inTabOrder(tabId, async () => await stillWaiting(tabId, url))) return
    const settings = await deps.settings()
    // A page that is merely slow is looked up in DNS only if the reader opted into lookups of pages
    // that have not failed (pre-warming): the resolver would otherwise learn of every slow page.
    const discovery = await deps.findTorrent(url, undefined, settings, { lookupDns: settings.prewarmPointers })
    const torrent = discovery.torrent
    if (torrent === null) {
      const why = t(settings.prewarmPointers ? 'stateSlowNothingPublished' : 'stateSlowNotLookedUp')
      await inTabOrder(tabId, async () => { if (await stillWaiting(tabId, url)) await states.move(tabId, 'watching', url, why) })
      return
    }
    // A copy DNS names against the site's own HTTPS word is not fetched behind the reader's back:
    // the slow page keeps loading, and if it fails, the viewer asks first.
    if (torrent.pinConflict !== undefined) return
    await inTabOrder(tabId, async () => {
      if (!await stillWaiting(tabId, url)) return // it answered while we looked
      await states.rememberDiscovery(tabId, discovery)
      if (!settings.autoFailover || await left.left(tabId, url)) {
        await states.move(tabId, 'offered', url, t('stateSlowOffered'))
        return
      }
      await states.move(tabId, 'fetching', url, t('stateSlowFetching'))
      await races.start(tabId, { ...discovery, torrent }, settings)
    })
  }

  return {
    check,

    /**
     * A navigation starts: the tab is watched afresh, and any copy raced for its last page dropped.
     * `handledAlready`: asked first, in turn with the tab's other events; true when this start
     * arrives after its own failure was handled (Firefox can deliver them so), and changes nothing.
     */
    async navigationStarted (tabId: number, url: string, handledAlready: () => Promise<boolean> = () => Promise.resolve(false)): Promise<boolean> {
      answeredHere.delete(tabId)
      return await inTabOrder(tabId, async () => {
        if (await handledAlready()) return false
        armed.delete(tabId)
        await session.remove([answeredKey(tabId), stallKey(tabId)])
        await races.end(tabId)
        await left.noteNavigation(tabId, url, await states.state(tabId))
        await states.move(tabId, 'watching', url)
        return true
      })
    },

    /** Starts the slow-page watch of a navigation that has started. */
    async watch (tabId: number, url: string, settings: Settings): Promise<void> {
      if (!settings.failoverOnSlow || !decideFailover(url, { kind: 'navigation-error', failure: 'timeout' }, settings).go) return
      const ms = settings.slowThresholdSeconds * 1000
      const at = clock.now() + ms
      if (ms >= ALARM_FROM_MS) {
        await inTabOrder(tabId, async () => { await session.set({ [stallKey(tabId)]: { url, at } satisfies Stall }) })
        clock.alarm(`${STALL_ALARM}${tabId}`, at)
        return
      }
      const stall: Stall = { url, at }
      armed.set(tabId, stall)
      clock.after(ms, () => {
        if (armed.get(tabId) !== stall) return // answered, failed, or another navigation since
        armed.delete(tabId)
        checkStall(tabId, url).catch((error: unknown) => { deps.warn(`could not check whether ${url} is slow: ${String(error)}`) })
      })
    },

    /** An alarm this module set: the name says which tab. */
    alarm (name: string): Promise<void> | null {
      if (!name.startsWith(STALL_ALARM)) return null
      return check(Number(name.slice(STALL_ALARM.length)))
    },

    /** The page answered or committed: it is not stalled, and a copy raced for it is not needed. */
    async pageAnswered (tabId: number, url: string): Promise<void> {
      if (answeredHere.get(tabId) === url) return
      answeredHere.set(tabId, url)
      // Its watch not yet due: disarmed, and nothing else to undo (no race, no storage).
      if (armed.get(tabId)?.url === url) {
        armed.delete(tabId)
        return
      }
      await inTabOrder(tabId, async () => {
        await session.set({ [answeredKey(tabId)]: url })
        const race = await races.of(tabId)
        if (race !== null && race.url === url && !race.switched) await races.end(tabId)
        const state = await states.state(tabId)
        const waitingForCopy = state?.phase === 'offered' || (race?.url === url && !race.switched)
        if (waitingForCopy && state?.url === url) await states.move(tabId, 'watching', url)
      })
    },

    /**
     * The page failed: not stalled any more, but a copy raced for it is exactly what failover wants.
     * `alsoInTurn`: the failure's own record, written in the same turn.
     */
    async pageFailed (tabId: number, url: string, alsoInTurn: () => Promise<void> = () => Promise.resolve()): Promise<void> {
      if (armed.get(tabId)?.url === url) armed.delete(tabId)
      await inTabOrder(tabId, async () => { await Promise.all([session.set({ [answeredKey(tabId)]: url }), alsoInTurn()]) })
    },

    /** From the prefetch host: the copy is ready. The tab switches to it if the page still has not answered. */
    async copyReady (tabId: number, url: string): Promise<boolean> {
      return await inTabOrder(tabId, async () => {
        const race = await races.of(tabId)
        if (race === null || race.url !== url || race.switched) return false
        await races.switched(tabId, race)
        await deps.tabs.showViewer(tabId, viewerUrl(deps.extensionRoot, url, { handoff: true }))
        return true
      })
    },

    /** From the prefetch host: it no longer holds the copy (the viewer took it, or fetching failed). */
    async copyEnded (tabId: number, url: string, failure: string | undefined): Promise<boolean> {
      return await inTabOrder(tabId, async () => {
        const race = await races.of(tabId)
        if (race === null || race.url !== url) return false
        await races.end(tabId)
        if (failure !== undefined && !race.switched) await states.move(tabId, 'watching', url, t('stateSlowNoCopy', failure))
        return true
      })
    },

    async forget (tabId: number): Promise<void> {
      answeredHere.delete(tabId)
      armed.delete(tabId)
      clock.clearAlarm(`${STALL_ALARM}${tabId}`)
      await inTabOrder(tabId, async () => {
        await session.remove([answeredKey(tabId), stallKey(tabId)])
        await races.end(tabId)
      })
    }
  }
}
