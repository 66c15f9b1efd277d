// With "Keep sharing pages I've read" on, the viewer's copy is kept (background/keep-sharing.ts),
// within the reader's budgets: its pieces go to disk as they come (copy/kept-store.ts), and the
// background hears of it at once, so a tab closed before the copy is all here loses nothing (the
// sharing host completes it). A copy handed over by the prefetch host is in memory: it is written
// to disk once it is all here.
import browser from 'webextension-polyfill'
import type { PeerCopy } from '../copy/peer-copy'
import { mayKeep } from '../lib/kept'
import { send } from '../lib/messages'
import type { Settings } from '../lib/settings'
import { bytesToBase64 } from '../protocol/base64'

export function keepCopy (copy: PeerCopy, page: string, settings: Settings): void {
  // Nothing read in a private window outlives it.
  if (!mayKeep(page, settings) || browser.extension.inIncognitoContext) return
  const { infoHash, pieceLength, length } = copy.torrent
  const warn = (error: unknown): void => { console.warn(`Peerback: could not keep ${page}: ${String(error)}`) }
  if (copy.onDisk) {
    send('background', 'keep', { infoHash, page, torrentFile: bytesToBase64(copy.torrent.torrentFile), bytes: length, how: 'opened', whileOpen: true }).catch(warn)
    return
  }
  const keep = async (): Promise<void> => {
    const { torrentFile, pieces } = await copy.handOff()
    const all = pieces.filter((piece) => piece !== null)
    if (all.length !== pieces.length) return
    // Loaded only here: a reader who keeps nothing never loads the disk store.
    const { writeKept } = await import('../copy/kept-store')
    await writeKept(infoHash, pieceLength, all)
    await send('background', 'keep', { infoHash, page, torrentFile: bytesToBase64(torrentFile), bytes: length, how: 'opened' })
  }
  if (copy.torrent.done) keep().catch(warn)
  else copy.torrent.once('done', () => { keep().catch(warn) })
}
