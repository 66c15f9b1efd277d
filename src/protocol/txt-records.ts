// The TXT records at `<h>._torrent.<host>` and `_torrent.<host>` (docs/protocol.md). A record's
// character-strings are concatenated into one text; a text is a magnet link or one chunk,
// `torrent <i>/<n> <base64>`, of a .torrent file. Other texts (SPF and the like) are ignored.
import { base64ToBytes, bytesToBase64 } from './base64'
import { fail, ok, quote, type ProtocolError, type Result } from './errors'
import { parseMagnet, type Magnet } from './magnet'

export type TorrentRecord =
  | { kind: 'magnet', magnet: Magnet }
  | { kind: 'torrent', bytes: Uint8Array }

/** Largest .torrent carried in TXT records, decoded. */
export const MAX_RECORD_TORRENT_BYTES = 64 * 1024
/** A DNS character-string holds at most 255 bytes. */
const MAX_STRING = 255
const CHUNK = /^torrent (\d{1,5})\/(\d{1,5}) ([A-Za-z0-9+/=]+)$/

type TxtString = string | Uint8Array

/**
 * The torrent the records of `name` publish; `null` when none of them is ours.
 * Two different answers for one name are an error, never a coin toss.
 */
export function decodeTorrentRecords (records: ReadonlyArray<ReadonlyArray<TxtString>>, name: string): Result<TorrentRecord | null> {
  const magnets = new Map<string, Magnet>()
  const chunks = new Map<number, string>()
  const totals = new Set<number>()
  let firstProblem: ProtocolError | null = null

  for (const record of records) {
    const text = record.map(textOf).join('').trim()
    if (/^magnet:/i.test(text)) {
      const magnet = parseMagnet(text)
      if (magnet.ok) magnets.set(magnet.value.infoHash, magnets.get(magnet.value.infoHash) ?? magnet.value)
      else firstProblem ??= magnet.error
      continue
    }
    if (!text.startsWith('torrent ')) continue
    const match = CHUNK.exec(text)
    const index = Number(match?.[1])
    const total = Number(match?.[2])
    if (match === null || index < 1 || index > total) {
      return fail('txt-bad-chunk', `A TXT record of ${name} is not a valid "torrent <i>/<n> <base64>" chunk: ${quote(text)}.`)
    }
    const known = chunks.get(index)
    if (known !== undefined && known !== match[3]) {
      return fail('txt-conflict', `${name} has two different chunks numbered ${index}: the site published conflicting torrents.`)
    }
    chunks.set(index, match[3] as string)
    totals.add(total)
  }

  if (magnets.size > 1) {
    return fail('txt-conflict', `${name} names ${magnets.size} different torrents (${[...magnets.keys()].join(', ')}); Peerback will not guess which one is right.`)
  }
  if (totals.size > 1) {
    return fail('txt-conflict', `${name} has torrent chunks counted as ${[...totals].map((n) => `/${n}`).join(' and ')}: two torrents are published at once.`)
  }
  if (magnets.size === 1 && chunks.size > 0) {
    return fail('txt-conflict', `${name} publishes both a magnet link and a torrent file; Peerback will not guess which one is right.`)
  }
  const [magnet] = magnets.values()
  if (magnet !== undefined) return ok({ kind: 'magnet', magnet })
  if (chunks.size === 0) return firstProblem === null ? ok(null) : { ok: false, error: firstProblem }
  return joinChunks(chunks, [...totals][0] as number, name)
}

function joinChunks (chunks: Map<number, string>, total: number, name: string): Result<TorrentRecord> {
  const missing: number[] = []
  for (let i = 1; i <= total && missing.length < 10; i++) if (!chunks.has(i)) missing.push(i)
  if (missing.length > 0) {
    return fail('txt-incomplete', `${name} has ${chunks.size} of ${total} torrent chunks; missing ${missing.join(', ')}${missing.length === 10 ? '…' : ''}.`, [chunks.size, total])
  }
  let base64 = ''
  for (let i = 1; i <= total; i++) {
    base64 += chunks.get(i)
    if (base64.length > Math.ceil(MAX_RECORD_TORRENT_BYTES / 3) * 4) return tooLarge(name)
  }
  const bytes = base64ToBytes(base64)
  if (bytes === null) return fail('txt-bad-chunk', `The torrent chunks of ${name} do not join into valid base64.`)
  if (bytes.length > MAX_RECORD_TORRENT_BYTES) return tooLarge(name)
  return ok({ kind: 'torrent', bytes })
}

const tooLarge = (name: string): Result<never> =>
  fail('txt-too-large', `The torrent published at ${name} is larger than ${MAX_RECORD_TORRENT_BYTES / 1024} KiB, the most Peerback reads from DNS.`, [`${MAX_RECORD_TORRENT_BYTES / 1024} KiB`])

function textOf (string: TxtString): string {
  return typeof string === 'string' ? string : new TextDecoder().decode(string)
}

/**
 * TXT records publishing a .torrent file: `torrent <i>/<n> <base64>`, each record cut into
 * character-strings of at most 255 bytes. `chunkChars` is the base64 carried per record.
 */
export function encodeTorrentRecords (torrent: Uint8Array, chunkChars = 1800): Result<string[][]> {
  if (torrent.length > MAX_RECORD_TORRENT_BYTES) return tooLarge('this name')
  const base64 = bytesToBase64(torrent)
  const total = Math.max(1, Math.ceil(base64.length / chunkChars))
  const records: string[][] = []
  for (let i = 0; i < total; i++) {
    const text = `torrent ${i + 1}/${total} ${base64.slice(i * chunkChars, (i + 1) * chunkChars)}`
    const strings: string[] = []
    for (let at = 0; at < text.length; at += MAX_STRING) strings.push(text.slice(at, at + MAX_STRING))
    records.push(strings)
  }
  return ok(records)
}
