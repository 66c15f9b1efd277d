// How many readers a torrent's trackers know of, before a page read on a healthy site is fetched
// to keep (docs/protocol.md, keep-sharing): a WebSocket tracker's scrape, as bittorrent-tracker
// speaks it — {action: 'scrape', info_hash: [binary]} answered with files[binary] = {complete,
// incomplete}. Only the trackers the copy itself would announce to are asked, and only WebSocket
// ones: a scrape tells a tracker no more than the announce that follows it.

export interface SwarmSize {
  /** Seeders. */
  complete: number
  /** Peers still downloading (other readers warming the same page now). */
  incomplete: number
}

const SCRAPE_TIMEOUT_MS = 5000

/** hex → one character per byte, as the WebSocket tracker protocol carries hashes in JSON. */
const binary = (hex: string): string => String.fromCharCode(...(hex.match(/../g) ?? []).map((byte) => parseInt(byte, 16)))

/** What one tracker says of a torrent; null when it cannot say (not a WebSocket tracker, refused, down, slow, garbled). */
export async function scrapeTracker (tracker: string, infoHash: string, timeoutMs = SCRAPE_TIMEOUT_MS): Promise<SwarmSize | null> {
  if (!/^wss?:\/\//i.test(tracker)) return null
  return await new Promise<SwarmSize | null>((resolve) => {
    let socket: WebSocket
    const done = (answer: SwarmSize | null): void => {
      clearTimeout(timer)
      socket.close()
      resolve(answer)
    }
    const timer = setTimeout(() => { done(null) }, timeoutMs)
    try {
      socket = new WebSocket(tracker)
    } catch {
      clearTimeout(timer)
      resolve(null)
      return
    }
    socket.addEventListener('open', () => { socket.send(JSON.stringify({ action: 'scrape', info_hash: [binary(infoHash)] })) })
    socket.addEventListener('error', () => { done(null) })
    socket.addEventListener('message', (event) => { done(readScrape(event.data, binary(infoHash))) })
  })
}

/** The most any of the trackers says (each knows only the readers that announce to it); null when none could say. */
export async function swarmSize (trackers: string[], infoHash: string): Promise<SwarmSize | null> {
  const answers = (await Promise.all(trackers.map(async (tracker) => await scrapeTracker(tracker, infoHash))))
    .filter((answer) => answer !== null)
  if (answers.length === 0) return null
  return answers.reduce((most, answer) => answer.complete + answer.incomplete > most.complete + most.incomplete ? answer : most)
}

function readScrape (data: unknown, key: string): SwarmSize | null {
  if (typeof data !== 'string') return null
  try {
    const message = JSON.parse(data) as { action?: unknown, files?: Record<string, { complete?: unknown, incomplete?: unknown }> }
    const file = message.action === 'scrape' ? message.files?.[key] : undefined
    const count = (value: unknown): number | null => Number.isSafeInteger(value) && (value as number) >= 0 ? value as number : null
    const complete = count(file?.complete)
    const incomplete = count(file?.incomplete)
    return complete === null || incomplete === null ? null : { complete, incomplete }
  } catch {
    return null
  }
}
