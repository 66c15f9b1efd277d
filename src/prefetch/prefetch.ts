// The prefetch host: a page outside any tab (Chrome: an offscreen document; Firefox: a frame in the
// background page) that fetches the copy of a page that is slow to answer while the page itself
// keeps loading. It says when the copy is ready; the background then switches the tab to the
// viewer, which takes the pieces over (lib/handoff.ts). If the page answers first, it is told to
// drop the copy.
import browser from 'webextension-polyfill'
import { offerHandoffs } from '../lib/handoff'
import { sendMessage } from '../lib/messages'
import { digestMismatch } from '../protocol/verify-digests'
import { openPeerCopy, type PeerCopy } from '../viewer/peer-copy'
import { isPrefetchCommand, type PrefetchCommand } from './commands'

/** Assets may come a little after the document; the tab waits this much longer for them at most. */
const ASSETS_GRACE_MS = 3000
/** A ready copy no viewer came for (the tab closed as it switched): dropped after this. */
const UNCLAIMED_MS = 60_000

interface Race { url: string, copy: PeerCopy | null }
const races = new Map<number, Race>()

function drop (tabId: number): void {
  races.get(tabId)?.copy?.destroy()
  races.delete(tabId)
}

async function run ({ tabId, url, pointer, digests, settings }: Extract<PrefetchCommand, { type: 'start' }>): Promise<void> {
  drop(tabId)
  const race: Race = { url, copy: null }
  races.set(tabId, race)
  const current = (): boolean => races.get(tabId) === race
  try {
    const copy = await openPeerCopy(pointer, settings)
    if (!current()) {
      copy.destroy()
      return
    }
    race.copy = copy
    if (settings.neverUpload) copy.stopUploading()
    const path = new URL(url).pathname
    const html = await copy.file(path)
    if (html === null) throw new Error(`The copy has no file for ${path}.`)
    const mismatch = await digestMismatch(html.bytes, digests)
    if (mismatch !== null) throw new Error(mismatch)
    await copy.settled(ASSETS_GRACE_MS)
    if (!current()) return
    setTimeout(() => {
      if (!current()) return
      drop(tabId)
      void sendMessage('prefetchEnded', { tabId, url }).catch(() => {})
    }, UNCLAIMED_MS)
    await sendMessage('prefetchReady', { tabId, url })
  } catch (error) {
    if (!current()) return
    drop(tabId)
    await sendMessage('prefetchEnded', { tabId, url, failure: error instanceof Error ? error.message : String(error) }).catch(() => {})
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id || !isPrefetchCommand(message)) return undefined
  if (message.type === 'start') void run(message)
  else drop(message.tabId)
  return Promise.resolve(true)
})

offerHandoffs(async (url) => {
  for (const [tabId, race] of races) {
    if (race.url !== url || race.copy === null) continue
    const handoff = await race.copy.handOff(url)
    drop(tabId)
    await sendMessage('prefetchEnded', { tabId, url }).catch(() => {})
    return handoff
  }
  return null
})
