// A copy fetched while its page was still loading (the race) passes from the prefetch host to the
// viewer that opens in the tab: the torrent file, the pieces it holds, and the page's document as
// the host checked it (the viewer shows it before its own client has started). A BroadcastChannel
// reaches only the extension's own pages (same origin); the viewer's WebTorrent checks every piece
// against the torrent's hashes again before it uses one.
import type { Moment } from './moments'
export const HANDOFF_CHANNEL = 'peerback-handoff'

export interface Handoff {
  url: string
  torrentFile: Uint8Array
  /** Piece i's bytes, or null for a piece the host did not have yet. */
  pieces: Array<Uint8Array | null>
  /** The page's own file (its path in the torrent), hash-checked and matching the site's digests; null if not here yet. */
  document: { path: string, bytes: ArrayBuffer } | null
  /** When the host reached the moments of the copy (epoch ms), for the viewer's timeline. */
  moments: Partial<Record<Moment, number>>
}

type HandoffMessage =
  | { type: 'want', url: string }
  | { type: 'have', url: string, handoff: Handoff | null }

function isHandoffMessage (value: unknown): value is HandoffMessage {
  if (typeof value !== 'object' || value === null) return false
  const message = value as HandoffMessage
  return (message.type === 'want' || message.type === 'have') && typeof message.url === 'string'
}

/** How often the viewer asks again: the host may open, or start its fetch, after the first ask. */
const ASK_EVERY_MS = 100

/**
 * The viewer's side: asks for the copy of `url` until a host answers; null when the host could not
 * fetch it, or none answered in time.
 */
export async function receiveHandoff (url: string, timeoutMs: number): Promise<Handoff | null> {
  const channel = new BroadcastChannel(HANDOFF_CHANNEL)
  let asking: ReturnType<typeof setInterval> | undefined
  try {
    return await new Promise<Handoff | null>((resolve) => {
      setTimeout(() => { resolve(null) }, timeoutMs)
      channel.addEventListener('message', (event) => {
        const message: unknown = event.data
        if (isHandoffMessage(message) && message.type === 'have' && message.url === url) resolve(message.handoff)
      })
      const ask = (): void => { channel.postMessage({ type: 'want', url } satisfies HandoffMessage) }
      ask()
      asking = setInterval(ask, ASK_EVERY_MS)
    })
  } finally {
    clearInterval(asking)
    channel.close()
  }
}

/**
 * The host's side: answers requests for a copy it holds. `give` returns undefined for a URL the host
 * does not fetch (it stays silent: the viewer asks again), null for one it failed to fetch. Once a
 * copy is posted, `given` lets the host give it up (and perhaps close): not before, or the message
 * could go down with the host.
 */
export function offerHandoffs (give: (url: string) => Promise<Handoff | null | undefined>, given: (url: string) => void): void {
  const channel = new BroadcastChannel(HANDOFF_CHANNEL)
  const giving = new Set<string>()
  channel.addEventListener('message', (event) => {
    const message: unknown = event.data
    if (!isHandoffMessage(message) || message.type !== 'want' || giving.has(message.url)) return
    const { url } = message
    giving.add(url)
    void give(url).then((handoff) => {
      if (handoff === undefined) return
      channel.postMessage({ type: 'have', url, handoff } satisfies HandoffMessage)
      if (handoff !== null) given(url)
    }).finally(() => { giving.delete(url) })
  })
}
