// The race of a page that is slow to answer against its peer copy (docs/protocol.md): the prefetch
// host fetches the copy while the page keeps loading; whichever is ready first wins the tab.
// Which tab races for which URL lives in storage.session, so a restarted worker still knows.
import { foundForThisUrl, type Discovery, type FoundTorrent } from '../lib/discovery'
import type { Settings } from '../lib/settings'
import type { BackgroundDeps } from './ports'

export interface Race {
  url: string
  /** The tab has gone to the viewer, which takes the host's copy over. */
  switched: boolean
}

const PREFIX = 'race:'
const raceKey = (tabId: number): string => `${PREFIX}${tabId}`

export type Races = ReturnType<typeof races>

/** Whether a slow page's copy is being fetched in the host for some tab. */
export const racesOpen = async (session: BackgroundDeps['session']): Promise<boolean> =>
  Object.keys(await session.get(null)).some((key) => key.startsWith(PREFIX))

export function races ({ session, prefetchHost }: Pick<BackgroundDeps, 'session' | 'prefetchHost'>) {
  const of = async (tabId: number): Promise<Race | null> => ((await session.get([raceKey(tabId)]))[raceKey(tabId)] as Race | undefined) ?? null
  return {
    of,

    async start (tabId: number, discovery: Discovery & { torrent: FoundTorrent }, settings: Settings): Promise<void> {
      await session.set({ [raceKey(tabId)]: { url: discovery.url, switched: false } satisfies Race })
      await prefetchHost.open()
      await prefetchHost.start({ tabId, url: discovery.url, pointer: discovery.torrent.pointer, forThisUrl: foundForThisUrl(discovery.torrent), digests: discovery.digests, settings })
    },

    /** The viewer opens in the tab and will ask the host for the copy. */
    async switched (tabId: number, race: Race): Promise<void> {
      await session.set({ [raceKey(tabId)]: { ...race, switched: true } satisfies Race })
    },

    /** The race is over for this tab: the host drops its copy (if it still has it), and closes when idle. */
    async end (tabId: number): Promise<void> {
      if (await of(tabId) === null) return
      await session.remove([raceKey(tabId)])
      const left = await racesOpen(session)
      // A host that stays open for the kept pages it shares must drop the copy itself.
      await prefetchHost.cancel(tabId).catch(() => {})
      if (!left) await prefetchHost.close()
    }
  }
}
