// `peerback check <url>`: does a live deployment work end to end, as a reader's browser would find
// it? Each step is one line of a checklist, with what was seen and, when it fails, what to do. The
// extension's own decoders (src/protocol/) read what the site serves.
import { createHash } from 'node:crypto'
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2'
import type { LookupFunction } from 'node:net'
import Client from 'bittorrent-tracker'
import dnsPacket from 'dns-packet'
import parseTorrent from 'parse-torrent'
import { torrentRecordNames } from '../protocol/dns-names'
import { pickPointerHeaders, readPointers, type RawHeader, type TorrentPointer } from '../protocol/pointer-headers'
import { readTorrentFile } from '../protocol/torrent-file'
import { fileForPath } from '../protocol/torrent-paths'
import { MAX_METADATA_BYTES } from '../protocol/torrent-limits'
import { decodeTorrentRecords } from '../protocol/txt-records'

export interface CheckItem {
  name: string
  ok: boolean
  /** What was seen. */
  detail: string
  /** When it failed: what to do. */
  fix?: string
}

export interface CheckOptions {
  /** The DNS-over-HTTPS resolver asked for the `_torrent` records. */
  resolver: string
  /** A URL that should shed load: a fast 503 that names the torrent. */
  overload?: string
  /** How long any one step may take. */
  timeoutMs?: number
  /** How the resolver's host is reached and trusted (tests: a name only the test world knows, its certificate). */
  resolverConnect?: { lookup?: LookupFunction, ca?: string }
}

const LIMITS = { maxTotalBytes: Number.MAX_SAFE_INTEGER }
const FAST_503_MS = 1000

interface RawTorrent { infoHash: string, pieceLength: number, pieces: string[], name: string, urlList: string[], announce: string[], files: Array<{ path: string, length: number, offset: number }> }

const hex = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex')
const signal = (ms: number): AbortSignal => AbortSignal.timeout(ms)
const why = (error: unknown): string => error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error)

export async function checkDeployment (url: string, options: CheckOptions): Promise<CheckItem[]> {
  const items: CheckItem[] = []
  const add = (item: CheckItem): CheckItem => { items.push(item); return item }
  const timeoutMs = options.timeoutMs ?? 10_000

  // 1. The page, and the pointers and digests its headers carry.
  let headers: RawHeader[] = []
  try {
    const response = await fetch(url, { redirect: 'manual', signal: signal(timeoutMs) })
    headers = [...response.headers].map(([name, value]) => ({ name, value }))
    add({ name: 'page', ok: response.status === 200, detail: `HTTP ${response.status}`, ...(response.status !== 200 && { fix: 'Check the URL: the page itself should answer 200 (pointer headers on a redirect are not read).' }) })
  } catch (error) {
    add({ name: 'page', ok: false, detail: why(error), fix: 'The page could not be fetched from here; check the URL and that the site is up while you check it.' })
  }
  const picked = pickPointerHeaders(headers)
  const pointers = picked === null ? null : readPointers(picked, url)
  const pointer = pointers?.torrents[0] ?? null
  add(pointer === null
    ? { name: 'pointer headers', ok: false, detail: 'no X-Torrent or Link rel=describedby header', fix: 'Include the snippet from <out>/headers/ that `peerback publish` wrote in your server’s configuration, and reload it.' }
    : { name: 'pointer headers', ok: true, detail: describePointer(pointer) })
  const digests = Object.keys(pointers?.digests ?? {})
  add(digests.length > 0
    ? { name: 'digest headers', ok: true, detail: digests.join(', ') }
    : { name: 'digest headers', ok: false, detail: 'no Repr-Digest or X-MD5 header', fix: 'The header snippets carry each page’s digests: include them, so readers can check a copy against what you published.' })

  // 2. The torrent the headers name.
  let torrent: RawTorrent | null = null
  if (pointer?.kind === 'url') {
    try {
      const response = await fetch(pointer.url, { redirect: 'manual', signal: signal(timeoutMs) })
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`)
      const bytes = new Uint8Array(await response.arrayBuffer())
      if (bytes.length > MAX_METADATA_BYTES) throw new Error(`${bytes.length} bytes, more than readers accept`)
      const valid = await readTorrentFile(bytes, LIMITS)
      if (!valid.ok) throw valid.error
      torrent = await parseTorrent(bytes) as RawTorrent
      const served = fileForPath(valid.value, new URL(url).pathname, true)
      add({ name: 'torrent', ok: served.ok, detail: `${pointer.url}: ${valid.value.infoHash}${served.ok ? `, serves ${new URL(url).pathname} as ${served.value.path}` : ''}`, ...(!served.ok && { fix: `${served.error.message} Publish again after the page changed.` }) })
    } catch (error) {
      add({ name: 'torrent', ok: false, detail: `${pointer.url}: ${why(error)}`, fix: 'Upload <out>/torrents/ to where the header points (the same path), and check that it is served as is.' })
    }
  } else if (pointer?.kind === 'magnet') {
    add({ name: 'torrent', ok: true, detail: `a magnet (${pointer.magnet.infoHash}): readers get the metadata from peers` })
  }
  const headerHash = pointer?.kind === 'magnet' ? pointer.magnet.infoHash : torrent?.infoHash ?? null

  // 3. The DNS records, through the resolver a reader uses.
  const names = await torrentRecordNames(url)
  let fromDns: Found | null = null
  if (!names.ok) {
    add({ name: 'DNS records', ok: false, detail: names.error.message })
  } else {
    const ask = dohAsker(options.resolver, timeoutMs, options.resolverConnect)
    try {
      fromDns = await dnsRecord(add, 'DNS page record', names.value.page, ask)
      await dnsRecord(add, 'DNS site record', names.value.site, ask)
    } finally {
      ask.close()
    }
    const pageHash = fromDns?.infoHash ?? null
    if (pageHash !== null && headerHash !== null) {
      add(pageHash === headerHash
        ? { name: 'DNS matches headers', ok: true, detail: pageHash }
        : { name: 'DNS matches headers', ok: false, detail: `DNS names ${pageHash}, the headers ${headerHash}`, fix: 'Deploy the headers and the records of the same `peerback publish` run: new headers first, then new DNS records (readers who saw the old headers keep them pinned until they see new ones).' })
    }
  }

  // 4. A tracker that lists a seeder; 5. a web seed that serves the bytes the torrent says: the
  // torrent the headers name, else the one DNS names (a site may publish in DNS only).
  const checked = torrent ?? fromDns?.torrent ?? null
  const infoHash = headerHash ?? fromDns?.infoHash ?? null
  const trackers = checked?.announce ?? (pointer?.kind === 'magnet' ? pointer.magnet.trackers : fromDns?.trackers ?? [])
  if (infoHash !== null) await trackerItem(add, trackers, infoHash, timeoutMs)
  if (checked !== null && checked.urlList.length > 0) await webSeedItem(add, checked, timeoutMs)

  // 6. Shedding load: a fast 503 that names the torrent.
  if (options.overload !== undefined) {
    const started = Date.now()
    try {
      const response = await fetch(options.overload, { redirect: 'manual', signal: signal(timeoutMs) })
      const took = Date.now() - started
      const named = response.headers.get('x-torrent') !== null
      const good = response.status === 503 && named && took <= FAST_503_MS
      add({ name: 'overload answer', ok: good, detail: `HTTP ${response.status} in ${took} ms${named ? ', with X-Torrent' : ', no X-Torrent'}`, ...(!good && { fix: 'Under load, answer 503 with X-Torrent at once (the overload snippet `peerback publish` wrote), without running the application.' }) })
    } catch (error) {
      add({ name: 'overload answer', ok: false, detail: why(error), fix: 'The shed-load URL did not answer; check the overload snippet.' })
    }
  }
  return items
}

function describePointer (pointer: TorrentPointer): string {
  return pointer.kind === 'url' ? `torrent at ${pointer.url}` : `magnet ${pointer.magnet.infoHash}`
}

/** What a DNS record published: the info hash, and the torrent itself when the record carries it. */
interface Found { infoHash: string, torrent: RawTorrent | null, trackers: string[] }

type Asker = ((query: string) => Promise<Buffer>) & { close: () => void }

/**
 * DoH GETs to the resolver: over HTTP/2 for https (as browsers ask, and as some resolvers, BIND's
 * among them, only answer), else plain fetch (a loopback stand-in).
 */
function dohAsker (resolver: string, timeoutMs: number, connect: CheckOptions['resolverConnect'] = {}): Asker {
  const url = new URL(resolver)
  let session: ClientHttp2Session | null = null
  const ask = async (query: string): Promise<Buffer> => {
    const path = `${url.pathname}${url.search === '' ? '?' : `${url.search}&`}dns=${query}`
    if (url.protocol !== 'https:') {
      const response = await fetch(`${url.origin}${path}`, { headers: { accept: 'application/dns-message' }, signal: signal(timeoutMs) })
      if (!response.ok) throw new Error(`the resolver answered HTTP ${response.status}`)
      return Buffer.from(await response.arrayBuffer())
    }
    session ??= connectHttp2(url.origin, { ...(connect.lookup !== undefined && { lookup: connect.lookup }), ...(connect.ca !== undefined && { ca: connect.ca }) })
    const open = session
    open.once('error', () => {})
    return await new Promise<Buffer>((resolve, reject) => {
      const request = open.request({ ':path': path, accept: 'application/dns-message' })
      const timer = setTimeout(() => { request.close(); reject(new Error(`no answer in ${timeoutMs / 1000} s`)) }, timeoutMs)
      const chunks: Buffer[] = []
      let status = 0
      request.on('response', (headers) => { status = Number(headers[':status']) })
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        clearTimeout(timer)
        if (status === 200) resolve(Buffer.concat(chunks))
        else reject(new Error(`the resolver answered HTTP ${status}`))
      })
      request.on('error', (error: Error) => { clearTimeout(timer); reject(error) })
      request.end()
    })
  }
  return Object.assign(ask, { close: () => { session?.close() } })
}

/** One TXT name through DoH: what it publishes, or null. */
async function dnsRecord (add: (item: CheckItem) => CheckItem, label: string, name: string, ask: Asker): Promise<Found | null> {
  try {
    // As the extension asks (RFC 8484 GET, id 0, AD set to learn whether the answer was validated).
    const query = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA, questions: [{ type: 'TXT', name, class: 'IN' }] }).toString('base64url')
    const packet = dnsPacket.decode(await ask(query)) as dnsPacket.DecodedPacket & { rcode?: string }
    if (packet.rcode !== 'NOERROR' && packet.rcode !== 'NXDOMAIN') throw new Error(`the resolver could not answer (${packet.rcode ?? 'unknown error'})`)
    const records = (packet.answers ?? []).filter((answer): answer is dnsPacket.TxtAnswer => answer.type === 'TXT').map((answer) => [answer.data].flat())
    const record = records.length === 0 ? null : decodeTorrentRecords(records, name)
    if (record !== null && !record.ok) throw record.error
    if (record === null || record.value === null) {
      add({ name: label, ok: false, detail: `${name}: no torrent record`, fix: 'Add the records of <out>/_torrent.zone to your zone (or $INCLUDE it), and wait for its TTL.' })
      return null
    }
    const infoHash = record.value.kind === 'magnet' ? record.value.magnet.infoHash : await hashOf(record.value.bytes)
    add({ name: label, ok: true, detail: `${name}: ${record.value.kind} ${infoHash}${packet.flag_ad ? ', DNSSEC-validated' : ''}` })
    return record.value.kind === 'magnet'
      ? { infoHash, torrent: null, trackers: record.value.magnet.trackers }
      : { infoHash, torrent: await parseTorrent(record.value.bytes) as RawTorrent, trackers: [] }
  } catch (error) {
    add({ name: label, ok: false, detail: `${name}: ${why(error)}`, fix: 'Check --resolver, and that the zone is published.' })
    return null
  }
}

async function hashOf (bytes: Uint8Array): Promise<string> {
  const valid = await readTorrentFile(bytes, LIMITS)
  if (!valid.ok) throw valid.error
  return valid.value.infoHash
}

async function trackerItem (add: (item: CheckItem) => CheckItem, trackers: string[], infoHash: string, timeoutMs: number): Promise<void> {
  if (trackers.length === 0) {
    add({ name: 'tracker', ok: false, detail: 'the torrent names no tracker', fix: 'Publish with --tracker wss://…: browsers find each other only through trackers.' })
    return
  }
  const results = await Promise.all(trackers.map(async (announce) => await scrape(announce, infoHash, timeoutMs)))
  const best = results.reduce((a, b) => (b.seeders ?? -1) > (a.seeders ?? -1) ? b : a)
  const good = (best.seeders ?? 0) >= 1
  add({
    name: 'tracker',
    ok: good,
    detail: results.map((result) => result.error !== undefined ? `${result.announce}: ${result.error}` : `${result.announce}: ${result.seeders ?? 0} seeders, ${result.leechers ?? 0} leechers`).join('; '),
    ...(!good && { fix: 'Keep `peerback seed <out>` running where it can reach the tracker: readers need at least one seeder.' })
  })
}

async function scrape (announce: string, infoHash: string, timeoutMs: number): Promise<{ announce: string, seeders?: number, leechers?: number, error?: string }> {
  return await new Promise((resolve) => {
    const timer = setTimeout(() => { client.destroy(); resolve({ announce, error: `no answer in ${timeoutMs / 1000} s` }) }, timeoutMs)
    const client = Client.scrape({ announce, infoHash }, (error: Error | null, data?: { complete: number, incomplete: number }) => {
      clearTimeout(timer)
      resolve(error !== null && error !== undefined ? { announce, error: error.message } : { announce, seeders: data?.complete ?? 0, leechers: data?.incomplete ?? 0 })
    })
  })
}

/** Piece 0 from the first web seed, by Range requests per file (BEP 19), against its SHA-1. */
async function webSeedItem (add: (item: CheckItem) => CheckItem, torrent: RawTorrent, timeoutMs: number): Promise<void> {
  const seed = torrent.urlList[0] as string
  const end = Math.min(torrent.pieceLength, torrent.files.reduce((sum, file) => sum + file.length, 0))
  const multiFile = torrent.files.length > 1 || torrent.files[0]?.path.includes('/') === true
  try {
    const parts: Uint8Array[] = []
    for (const file of torrent.files) {
      if (file.offset >= end) break
      const from = 0
      const to = Math.min(file.length, end - file.offset) - 1
      if (to < from) continue
      const base = seed.endsWith('/') ? seed : `${seed}/`
      const fileUrl = multiFile ? `${base}${file.path.split('/').map(encodeURIComponent).join('/')}` : seed.endsWith('/') ? `${seed}${encodeURIComponent(torrent.name)}` : seed
      const response = await fetch(fileUrl, { headers: { range: `bytes=${from}-${to}` }, redirect: 'manual', signal: signal(timeoutMs) })
      if (response.status !== 206 && response.status !== 200) throw new Error(`${fileUrl}: HTTP ${response.status}`)
      const bytes = new Uint8Array(await response.arrayBuffer()).subarray(0, to - from + 1)
      parts.push(bytes)
    }
    const piece = Buffer.concat(parts)
    const good = hex(piece) === torrent.pieces[0]
    add({ name: 'web seed', ok: good, detail: `${seed}: piece 0 (${piece.length} bytes) ${good ? 'matches its hash' : 'does not match its hash'}`, ...(!good && { fix: 'The web seed serves other bytes than the torrent holds: publish again after the site changed, or serve the torrent’s files as they are.' }) })
  } catch (error) {
    add({ name: 'web seed', ok: false, detail: `${seed}: ${why(error)}`, fix: 'Include the web seed alias snippet (<out>/headers/) so /<torrent name>/<path> serves each file, with Range requests.' })
  }
}
