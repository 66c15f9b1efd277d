// The race of a page that is slow to answer against its peer copy (docs/protocol.md): the prefetch
// host fetches the copy while the page keeps loading; whichever is ready first wins the tab.
// Which tab races for which URL lives in storage.session, so a restarted worker still knows.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import type { Settings } from '../lib/settings'
import type { PrefetchCommand } from '../lib/prefetch-commands'
import { foundForThisUrl, type Discovery, type FoundTorrent } from '../lib/discovery'

export interface Race {
  url: string
  /** The tab has gone to the viewer, which takes the host's copy over. */
  switched: boolean
}

const PREFIX = 'race:'
const raceKey = (tabId: number): string => `${PREFIX}${tabId}`

export async function raceOf (tabId: number): Promise<Race | null> {
  return ((await browser.storage.session.get(raceKey(tabId)))[raceKey(tabId)] as Race | undefined) ?? null
}

async function tellHost (command: PrefetchCommand, attempts: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await browser.runtime.sendMessage(command)
      return
    } catch (error) {
      // A host that has just opened may not listen yet: ask again, briefly.
      if (attempt >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

export async function startRace (tabId: number, discovery: Discovery & { torrent: FoundTorrent }, settings: Settings): Promise<void> {
  await browser.storage.session.set({ [raceKey(tabId)]: { url: discovery.url, switched: false } satisfies Race })
  await platform.openPrefetchHost()
  await tellHost({ to: 'prefetch', type: 'start', tabId, url: discovery.url, pointer: discovery.torrent.pointer, forThisUrl: foundForThisUrl(discovery.torrent), digests: discovery.digests, settings }, 20)
}

/** The viewer opens in the tab and will ask the host for the copy. */
export async function raceSwitched (tabId: number, race: Race): Promise<void> {
  await browser.storage.session.set({ [raceKey(tabId)]: { ...race, switched: true } satisfies Race })
}

/** The race is over for this tab: the host drops its copy (if it still has it), and closes when idle. */
export async function endRace (tabId: number): Promise<void> {
  if (await raceOf(tabId) === null) return
  await browser.storage.session.remove(raceKey(tabId))
  const left = Object.keys(await browser.storage.session.get(null)).some((key) => key.startsWith(PREFIX))
  if (!left) await platform.closePrefetchHost()
  else await tellHost({ to: 'prefetch', type: 'cancel', tabId }, 1).catch(() => {})
}
