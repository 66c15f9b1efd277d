// What a viewer reports about its copy each second: the popup shows it, the badge counts peers.
export interface CopyStats {
  peers: number
  downloaded: number
  uploaded: number
  /** Bytes per second, now. */
  downloadSpeed: number
  uploadSpeed: number
  /** 0…1 */
  progress: number
  /** The copy's size in bytes. */
  length: number
  ratioTarget: number
  /** Whether this tab still uploads (not past its ratio, not stopped, sharing not turned off). */
  uploading: boolean
  /** Pieces that failed their hash, and the peers dropped for sending them. */
  badPieces: number
  droppedPeers: number
  /** Where the torrent came from, in words. */
  source: string
}

