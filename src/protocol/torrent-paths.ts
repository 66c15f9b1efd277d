// Which file of a torrent serves a URL path (docs/protocol.md): the exact path, else
// `<path>/index.html`, else `<path>.html`. A torrent found for this very URL (its page record, a
// pointer on its own response) serves it even when the names differ: a single-file torrent with
// its one file, a page torrent with its one HTML file. Found for another URL (a site record, the
// pointer of another page), it serves only the paths it holds.
import { fail, ok, quote, type Result } from './errors'
import type { TorrentFileEntry, ValidTorrent } from './torrent-file'

export function fileForPath (torrent: ValidTorrent, urlPath: string, foundForThisUrl = false): Result<TorrentFileEntry> {
  const wanted = decodePath(urlPath)
  if (foundForThisUrl && !torrent.multiFile && torrent.files.length === 1) return ok(torrent.files[0] as TorrentFileEntry)
  const byPath = new Map(torrent.files.map((file) => [file.path, file]))
  const candidates = wanted === '' || wanted.endsWith('/')
    ? [`${wanted}index.html`]
    : [wanted, `${wanted}/index.html`, `${wanted}.html`]
  for (const candidate of candidates) {
    const file = byPath.get(candidate)
    if (file !== undefined) return ok(file)
  }
  const html = torrent.files.filter((file) => /\.html?$/i.test(file.path))
  if (foundForThisUrl && html.length === 1) return ok(html[0] as TorrentFileEntry)
  return fail('no-file-for-path', `The torrent ${quote(torrent.name)} has no file for ${quote(urlPath)} (looked for ${candidates.join(', ')}).`, [quote(urlPath)])
}

/**
 * A URL path as a path inside a torrent, segment by segment: `/a%20b/c` → `a b/c`. A malformed
 * escape, or a segment that decodes to a separator (`a%2Fb`), is kept as written: a file's name
 * never holds a `/`, so `/a%2Fb` is not `a/b`. The one decoding of paths the extension does.
 */
export function decodePath (urlPath: string): string {
  return urlPath.replace(/^\/+/, '').split('/').map((segment) => {
    try {
      const decoded = decodeURIComponent(segment)
      return /[/\\]/.test(decoded) ? segment : decoded
    } catch {
      return segment
    }
  }).join('/')
}
