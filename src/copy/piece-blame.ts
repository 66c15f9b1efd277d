// Which peers sent the pieces that failed their hash, and which of them to drop. WebTorrent already
// discards a bad piece and asks again; without this it would keep asking the same liar. Pieces on
// WebRTC arrive over a reliable, checksummed channel, so a bad one was sent bad: a peer that alone
// sent a failed piece is dropped at once; one that shared a failed piece with others is dropped
// after SHARED_STRIKES of them (an honest peer can be caught beside a liar, but not that often).

export const SHARED_STRIKES = 3

export interface BlameCounts {
  /** Pieces that failed their hash. */
  badPieces: number
  /** Peers dropped for sending them. */
  droppedPeers: number
}

export class PieceBlame {
  private readonly senders = new Map<number, Set<string>>()
  private readonly strikes = new Map<string, number>()
  private readonly dropped = new Set<string>()
  private bad = 0

  /** A block of piece `index` came from `peer`. */
  received (index: number, peer: string): void {
    let senders = this.senders.get(index)
    if (senders === undefined) this.senders.set(index, senders = new Set())
    senders.add(peer)
  }

  /** Piece `index` matched its hash: its senders are cleared of it. */
  verified (index: number): void {
    this.senders.delete(index)
  }

  /** Piece `index` failed its hash: returns the peers to drop now. */
  failed (index: number): string[] {
    this.bad++
    const senders = [...(this.senders.get(index) ?? [])]
    this.senders.delete(index)
    const weight = senders.length === 1 ? SHARED_STRIKES : 1
    const toDrop: string[] = []
    for (const peer of senders) {
      const strikes = (this.strikes.get(peer) ?? 0) + weight
      this.strikes.set(peer, strikes)
      if (strikes >= SHARED_STRIKES && !this.dropped.has(peer)) {
        this.dropped.add(peer)
        toDrop.push(peer)
      }
    }
    return toDrop
  }

  isDropped (peer: string): boolean {
    return this.dropped.has(peer)
  }

  get counts (): BlameCounts {
    return { badPieces: this.bad, droppedPeers: this.dropped.size }
  }
}
