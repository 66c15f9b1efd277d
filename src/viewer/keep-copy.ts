// With "Keep sharing pages I've read" on, a copy that is all here and checked is written to disk
// (copy/kept-store.ts) and handed to the background to keep sharing after the tab closes
// (background/keep-sharing.ts), within the reader's budgets.
import type { PeerCopy } from '../copy/peer-copy'
import { mayKeep } from '../lib/kept'
import { send } from '../lib/messages'
import type { Settings } from '../lib/settings'
import { bytesToBase64 } from '../protocol/base64'

export function keepWhenDone (copy: PeerCopy, page: string, settings: Settings): void {
  if (!mayKeep(page, settings)) return
  const keep = async (): Promise<void> => {
    const { torrentFile, pieces } = await copy.handOff()
    const all = pieces.filter((piece) => piece !== null)
    if (all.length !== pieces.length) return
    const { infoHash, pieceLength, length } = copy.torrent
    // Loaded only here: a reader who keeps nothing never loads the disk store.
    const { writeKept } = await import('../copy/kept-store')
    await writeKept(infoHash, pieceLength, all)
    await send('background', 'keep', { infoHash, page, torrentFile: bytesToBase64(torrentFile), bytes: length, how: 'opened' })
  }
  const warn = (error: unknown): void => { console.warn(`Peerback: could not keep ${page}: ${String(error)}`) }
  if (copy.torrent.done) keep().catch(warn)
  else copy.torrent.once('done', () => { keep().catch(warn) })
}
