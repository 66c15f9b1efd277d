// The limits a torrent is checked against (protocol/torrent-file.ts), apart from the parser, so
// settings and pages that only show limits do not load it.

/** A .torrent file is read only up to this size. */
export const MAX_METADATA_BYTES = 1024 * 1024
/** A torrent names at most this many files. */
export const MAX_FILES = 10_000

export interface TorrentLimits {
  /** The most a copy may weigh, all files together (a setting; default 100 MiB). */
  maxTotalBytes: number
}

/** What a reader downloads at most unless they change it; the publisher checks every torrent against it. */
export const DEFAULT_MAX_COPY_BYTES = 100 * 1024 * 1024
