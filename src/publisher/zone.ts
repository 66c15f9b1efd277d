// The publisher's BIND zone fragment: the `_torrent` TXT records of a site's torrents
// (docs/protocol.md), written with the very encoder and name rules the extension decodes them with.
import { torrentRecordNames } from '../protocol/dns-names'
import { fail, ok, type Result } from '../protocol/errors'
import { encodeTorrentRecords, MAX_RECORD_TORRENT_BYTES } from '../protocol/txt-records'

export interface PublishedTorrent {
  /** The page a page torrent serves; for the site torrent, any URL of the site. */
  url: string
  scope: 'page' | 'site'
  torrentFile: Uint8Array
  magnetUri: string
}

/** `auto`: the .torrent itself when it is small enough to be worth the lookup, else a magnet. */
export type RecordForm = 'auto' | 'magnet' | 'torrent'

/** In `auto`, torrents up to this size go into DNS whole: a browser then needs no peer for metadata. */
export const AUTO_TORRENT_MAX_BYTES = 16 * 1024

export interface ZoneRecord { name: string, strings: string[] }

export interface Zone {
  records: ZoneRecord[]
  /** The fragment to paste into a BIND zone file. */
  text: string
  /** What a site owner should know: which torrent fell back to which form, and why. */
  notes: string[]
  /** Per torrent given, in order: the name it is published at and in which form. */
  placed: Array<{ name: string, form: 'torrent' | 'magnet' }>
}

const quoted = (text: string): string => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`

export async function zoneFragment (torrents: PublishedTorrent[], { form = 'auto', ttl = 300 }: { form?: RecordForm, ttl?: number } = {}): Promise<Result<Zone>> {
  const records: ZoneRecord[] = []
  const notes: string[] = []
  const placed: Zone['placed'] = []
  const taken = new Map<string, string>()
  for (const torrent of torrents) {
    const names = await torrentRecordNames(torrent.url)
    if (!names.ok) return names
    const name = `${torrent.scope === 'site' ? names.value.site : names.value.page}.`
    const owner = taken.get(name)
    if (owner !== undefined) return fail('txt-conflict', `${torrent.url} and ${owner} would both publish at ${name}.`)
    taken.set(name, torrent.url)

    const wantsTorrent = form === 'torrent' || (form === 'auto' && torrent.torrentFile.length <= AUTO_TORRENT_MAX_BYTES)
    const chunks = wantsTorrent ? encodeTorrentRecords(torrent.torrentFile) : null
    if (chunks?.ok === true) {
      for (const strings of chunks.value) records.push({ name, strings })
      placed.push({ name, form: 'torrent' })
      continue
    }
    if (form === 'torrent' || chunks !== null) {
      notes.push(`${torrent.url}: the torrent file is ${torrent.torrentFile.length} bytes, more than the ${MAX_RECORD_TORRENT_BYTES} DNS can carry; published as a magnet link instead.`)
    } else if (form === 'auto') {
      notes.push(`${torrent.url}: the torrent file is ${torrent.torrentFile.length} bytes (over ${AUTO_TORRENT_MAX_BYTES}); published as a magnet link.`)
    }
    records.push({ name, strings: splitStrings(torrent.magnetUri) })
    placed.push({ name, form: 'magnet' })
  }
  const text = [
    '; Peerback _torrent records: paste into the zone of the site.',
    ...records.map((record) => `${record.name} ${ttl} IN TXT ${record.strings.map(quoted).join(' ')}`)
  ].join('\n') + '\n'
  return ok({ records, text, notes, placed })
}

/** A DNS character-string holds at most 255 bytes. */
function splitStrings (text: string): string[] {
  const strings: string[] = []
  for (let at = 0; at < text.length; at += 255) strings.push(text.slice(at, at + 255))
  return strings
}
