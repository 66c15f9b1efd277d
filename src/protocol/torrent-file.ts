// Reading a .torrent from an untrusted source (a site, a DNS record, a peer) and checking it
// against the limits the extension enforces (docs/protocol.md) before anything downloads.
import parseTorrent from 'parse-torrent'
import { fail, ok, quote, type Result } from './errors'
import { formatBytes } from './format'
import { MAX_FILES, MAX_METADATA_BYTES, type TorrentLimits } from './torrent-limits'


export interface TorrentFileEntry {
  /** Path inside the torrent's root, `/`-separated: for a multi-file torrent without its name. */
  path: string
  length: number
}

export interface ValidTorrent {
  infoHash: string
  name: string
  /** A multi-file torrent is a folder named `name`; a single file is `name` itself. */
  multiFile: boolean
  files: TorrentFileEntry[]
  length: number
  /** How many pieces (of `piece length` bytes, the last one shorter). */
  pieceCount: number
  trackers: string[]
  webSeeds: string[]
}

interface RawInfo {
  name?: unknown
  'name.utf-8'?: unknown
  length?: unknown
  files?: Array<{ length?: unknown, path?: unknown, 'path.utf-8'?: unknown }>
  'piece length'?: unknown
  pieces?: unknown
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

export async function readTorrentFile (bytes: Uint8Array, limits: TorrentLimits): Promise<Result<ValidTorrent>> {
  if (bytes.length > MAX_METADATA_BYTES) {
    return fail('torrent-metadata-too-large', `The torrent file is ${formatBytes(bytes.length)}; Peerback reads torrent files of at most ${formatBytes(MAX_METADATA_BYTES)}.`, [formatBytes(MAX_METADATA_BYTES)])
  }
  try {
    // Typed as what parse-torrent promises; checkTorrent trusts none of it.
    return checkTorrent(await parseTorrent(bytes) as ParsedTorrent, limits)
  } catch (error) {
    // parse-torrent throws on missing fields; a hostile file can also give fields the wrong types.
    return fail('torrent-unreadable', `The torrent file cannot be read: ${error instanceof Error ? error.message : 'not bencoded'}.`)
  }
}

interface ParsedTorrent { infoHash: string, info?: RawInfo, announce: string[], urlList: string[] }

function checkTorrent (parsed: ParsedTorrent, limits: TorrentLimits): Result<ValidTorrent> {
  const info = parsed.info
  // 20 bytes read as an info hash, not a torrent file.
  if (typeof info !== 'object' || info === null) return fail('torrent-unreadable', 'This is not a torrent file.')
  const name = pathComponent(info['name.utf-8'] ?? info.name)
  if (name === null) return unsafe('its name', info['name.utf-8'] ?? info.name)

  const rawFiles = info.files ?? [{ length: info.length, path: [] }]
  if (rawFiles.length > MAX_FILES) {
    return fail('torrent-too-many-files', `The torrent holds ${rawFiles.length} files; Peerback opens torrents of at most ${MAX_FILES}.`, [rawFiles.length, MAX_FILES])
  }
  const files: TorrentFileEntry[] = []
  let length = 0
  for (const raw of rawFiles) {
    if (typeof raw.length !== 'number' || !Number.isSafeInteger(raw.length) || raw.length < 0) {
      return fail('torrent-unreadable', 'The torrent file gives a file a length that is not a whole number of bytes.')
    }
    const parts = info.files === undefined ? [name] : raw['path.utf-8'] ?? raw.path
    if (!Array.isArray(parts) || parts.length === 0) return unsafe('a file path', parts)
    const components = parts.map(pathComponent)
    if (components.some((part) => part === null)) return unsafe('the file path', parts)
    files.push({ path: components.join('/'), length: raw.length })
    length += raw.length
  }
  if (length > limits.maxTotalBytes) {
    return fail('torrent-too-large', `The copy is ${formatBytes(length)}, more than the ${formatBytes(limits.maxTotalBytes)} Peerback is set to download.`, [formatBytes(length), formatBytes(limits.maxTotalBytes)])
  }
  const pieceLength = info['piece length']
  const pieces = info.pieces
  if (typeof pieceLength !== 'number' || pieceLength <= 0 || !(pieces instanceof Uint8Array) ||
      pieces.length !== 20 * Math.ceil(length / pieceLength)) {
    return fail('torrent-unreadable', 'The torrent file’s piece hashes do not match the size of its files.')
  }
  return ok({
    infoHash: parsed.infoHash,
    name,
    multiFile: info.files !== undefined,
    files,
    length,
    pieceCount: pieces.length / 20,
    trackers: parsed.announce,
    webSeeds: parsed.urlList
  })
}

/** One path component, decoded as UTF-8; null when it is empty, `.`, `..`, or carries a separator. */
function pathComponent (raw: unknown): string | null {
  let text: string
  try {
    text = raw instanceof Uint8Array ? utf8.decode(raw) : typeof raw === 'string' ? raw : ''
  } catch {
    return null // not UTF-8
  }
  if (text === '' || text === '.' || text === '..' || /[/\\\u0000]/.test(text) || /^[a-z]:/i.test(text)) return null
  return text
}

function unsafe (what: string, raw: unknown): Result<never> {
  const shown = Array.isArray(raw) ? raw.map(show).join('/') : show(raw)
  return fail('torrent-unsafe-path', `The torrent file was refused: ${what} ${quote(shown)} is empty, absolute, climbs out with "..", or is not UTF-8.`, [quote(shown)])
}

function show (raw: unknown): string {
  return raw instanceof Uint8Array ? new TextDecoder().decode(raw) : String(raw)
}
