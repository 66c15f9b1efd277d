// A copy fetched while its page was still loading (the race, DESIGN.md §1) passes from the
// prefetch host to the viewer that opens in the tab: the torrent file and the pieces it holds.
// A BroadcastChannel reaches only the extension's own pages (same origin); the viewer's
// WebTorrent checks every piece against the torrent's hashes again before it uses one.
export const HANDOFF_CHANNEL = 'peerback-handoff'

export interface Handoff {
  url: string
  torrentFile: Uint8Array
  /** Piece i's bytes, or null for a piece the host did not have yet. */
  pieces: Array<Uint8Array | null>
}

type HandoffMessage =
  | { type: 'want', url: string }
  | { type: 'have', url: string, handoff: Handoff | null }

function isHandoffMessage (value: unknown): value is HandoffMessage {
  if (typeof value !== 'object' || value === null) return false
  const message = value as HandoffMessage
  return (message.type === 'want' || message.type === 'have') && typeof message.url === 'string'
}

/** The viewer's side: asks for the copy of `url`; null when no host answers in time. */
export async function receiveHandoff (url: string, timeoutMs: number): Promise<Handoff | null> {
  const channel = new BroadcastChannel(HANDOFF_CHANNEL)
  try {
    return await new Promise<Handoff | null>((resolve) => {
      setTimeout(() => { resolve(null) }, timeoutMs)
      channel.addEventListener('message', (event) => {
        const message: unknown = event.data
        if (isHandoffMessage(message) && message.type === 'have' && message.url === url) resolve(message.handoff)
      })
      channel.postMessage({ type: 'want', url } satisfies HandoffMessage)
    })
  } finally {
    channel.close()
  }
}

/** The host's side: answers every request for a copy it holds (and gives that copy up). */
export function offerHandoffs (give: (url: string) => Promise<Handoff | null>): void {
  const channel = new BroadcastChannel(HANDOFF_CHANNEL)
  channel.addEventListener('message', (event) => {
    const message: unknown = event.data
    if (!isHandoffMessage(message) || message.type !== 'want') return
    void give(message.url).then((handoff) => {
      if (handoff !== null) channel.postMessage({ type: 'have', url: message.url, handoff } satisfies HandoffMessage)
    })
  })
}
