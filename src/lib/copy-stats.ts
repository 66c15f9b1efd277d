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
  /** Whether this tab still uploads (not past its ratio, not stopped, not "never upload"). */
  uploading: boolean
  /** Pieces that failed their hash, and the peers dropped for sending them. */
  badPieces: number
  droppedPeers: number
  /** Where the torrent came from, in words. */
  source: string
}

/** A viewer's command from the popup; the viewer acts only on its own tab's. */
export interface ViewerCommand { to: 'viewer', tabId: number, command: 'stopSeeding' }

export function isViewerCommand (value: unknown): value is ViewerCommand {
  if (typeof value !== 'object' || value === null) return false
  const message = value as ViewerCommand
  return message.to === 'viewer' && Number.isInteger(message.tabId) && message.command === 'stopSeeding'
}
