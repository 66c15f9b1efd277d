// "What is the best torrent for this URL right now?" — in the order of docs/protocol.md: the pointer
// cache, the failing response's own headers, the DNS page record, the DNS site record; mirrors
// and digests ride along. Every step that fails says why, and the next step is tried.
import { bytesToBase64, base64ToBytes } from '../protocol/base64'
import type { Digests } from '../protocol/digests'
import { torrentRecordNames } from '../protocol/dns-names'
import type { ProtocolError } from '../protocol/errors'
import { pickPointerHeaders, readPointers, type RawHeader, type TorrentPointer } from '../protocol/pointer-headers'
import { readTorrentFile } from '../protocol/torrent-file'
import { type TorrentLimits } from '../protocol/torrent-limits'
import { fileForPath } from '../protocol/torrent-paths'
import { decodeTorrentRecords } from '../protocol/txt-records'
import type { LookupTxt } from './doh-client'
import type { Pin, PointerCache } from './pointer-cache'
import type { Discovery, FoundPointer, FoundTorrent, Problem } from '../lib/discovery'

export interface DiscoveryDeps {
  cache: PointerCache
  lookupTxt: LookupTxt
  /** Ask the resolver (step 3); false: only what the site itself said, and earlier answers. */
  lookupDns?: boolean
  limits: TorrentLimits
  now?: () => number
}

/** A pre-warmed DNS answer stands in for a live lookup this long. */
export const PREWARMED_DNS_MAX_AGE_MS = 24 * 60 * 60 * 1000

const problem = (error: ProtocolError): Problem => ({ code: error.code, message: error.message, details: error.details })

export async function findTorrent (url: string, responseHeaders: RawHeader[] | undefined, deps: DiscoveryDeps): Promise<Discovery> {
  const discovery: Discovery = { url, torrent: null, mirrors: [], digests: {}, problems: [] }
  const addMirrors = (mirrors: string[], digests: Digests): void => {
    for (const mirror of mirrors) if (!discovery.mirrors.includes(mirror)) discovery.mirrors.push(mirror)
    discovery.digests = { ...digests, ...discovery.digests }
  }

  // 1. The pointer cache: this page, or a site torrent seen on another page that has this path.
  // One read brings what the later steps may need from it too (a pre-warmed answer, a pin).
  const cached = await deps.cache.recall(url)
  if (cached.page !== null) addMirrors(cached.page.mirrors, cached.page.digests)
  const fromPage = cached.page?.torrents[0]
  // A pointer whose .torrent was never fetched names a file on the site that is failing now: it is
  // used only if nothing below (the failing response, DNS) names a copy the reader can reach.
  let bare: FoundTorrent | null = null
  if (fromPage !== undefined && cached.page !== null) {
    const found: FoundTorrent = { source: 'cache', pointer: await withCachedFile(fromPage, deps.cache), secure: cached.page.secure, authenticated: false, seenAt: cached.page.seenAt, ...(cached.page.modifiedAt !== undefined && { modifiedAt: cached.page.modifiedAt }) }
    if (found.pointer.kind !== 'url') {
      discovery.torrent = found
      return discovery
    }
    bare = found
  }
  const orBare = (): Discovery => {
    if (discovery.torrent === null && bare !== null) discovery.torrent = bare
    return discovery
  }
  const siteTorrent = cached.site?.torrents[0]
  if (siteTorrent?.kind === 'url' && cached.site !== null) {
    const file = await deps.cache.torrentFile(siteTorrent.url)
    if (file !== null && await servesPath(file.base64, url, deps.limits)) {
      discovery.torrent = { source: 'cache', pointer: { kind: 'file', base64: file.base64, infoHash: file.infoHash, url: file.url }, secure: cached.site.secure, authenticated: false, seenAt: cached.site.seenAt, sitewide: true }
      return discovery
    }
  }

  // 2. The failing response's own headers (a 503 that names its torrent). Its Digest and
  // Repr-Digest describe the error page itself (RFC 3230, RFC 9530), not the page: only X-MD5 is
  // read there, and digests remembered from a healthy visit win (docs/protocol.md).
  const picked = pickPointerHeaders(responseHeaders ?? [])
  if (picked !== null) {
    delete picked.digest
    delete picked['repr-digest']
    const pointers = readPointers(picked, url)
    discovery.problems.push(...pointers.problems.map(problem))
    addMirrors(pointers.mirrors, pointers.digests)
    const first = pointers.torrents[0]
    if (first !== undefined) {
      discovery.torrent = { source: 'response', pointer: await withCachedFile(first, deps.cache), secure: url.startsWith('https:'), authenticated: false }
      return discovery
    }
  }

  // 3. DNS: what a pre-warm lookup found on a healthy visit, else the page record, then the site record.
  const now = deps.now ?? Date.now
  const { prewarmed, pin } = cached
  if (prewarmed !== null && isFoundTorrent(prewarmed.found) && now() - prewarmed.at < PREWARMED_DNS_MAX_AGE_MS) {
    discovery.torrent = againstPin(prewarmed.found, pin)
    return discovery
  }
  if (deps.lookupDns === false) return orBare()
  const dns = await lookupTorrentRecords(url, deps)
  discovery.torrent = dns.torrent === null ? null : againstPin(dns.torrent, pin)
  // The bare pointer's own problem, if DNS knew nothing either, is the viewer's to tell.
  if (dns.torrent !== null || bare === null) discovery.problems.push(...dns.problems)
  return orBare()
}

/** A DNS answer, checked against what the site's HTTPS response named for the page, if it did. */
function againstPin (found: FoundTorrent, pin: Pin | null): FoundTorrent {
  const infoHash = found.pointer.kind === 'magnet' ? found.pointer.magnet.infoHash : found.pointer.kind === 'file' ? found.pointer.infoHash : null
  if (pin === null || infoHash === null || pin.infoHashes.includes(infoHash)) return found
  return { ...found, pinConflict: { infoHashes: pin.infoHashes, seenAt: pin.seenAt } }
}

/** The DNS step alone: the page record, then the site record. */
export async function lookupTorrentRecords (url: string, deps: DiscoveryDeps): Promise<{ torrent: FoundTorrent | null, problems: Problem[] }> {
  const problems: Problem[] = []
  const names = await torrentRecordNames(url)
  if (!names.ok) return { torrent: null, problems: [problem(names.error)] }
  for (const [source, name] of [['dns-page', names.value.page], ['dns-site', names.value.site]] as const) {
    const found = await fromDns(name, source, url, deps)
    if ('problem' in found) problems.push(found.problem)
    else if (found.torrent !== null) return { torrent: found.torrent, problems }
  }
  return { torrent: null, problems }
}

async function fromDns (name: string, source: 'dns-page' | 'dns-site', url: string, deps: DiscoveryDeps): Promise<{ torrent: FoundTorrent | null } | { problem: Problem }> {
  const answer = await deps.lookupTxt(name)
  if (!answer.ok) return { problem: problem(answer.error) }
  if (answer.value === null) return { torrent: null }
  const record = decodeTorrentRecords(answer.value.records, name)
  if (!record.ok) return { problem: problem(record.error) }
  if (record.value === null) return { torrent: null }
  const authenticated = answer.value.authenticated
  if (record.value.kind === 'magnet') return { torrent: { source, pointer: record.value, secure: false, authenticated } }

  const torrent = await readTorrentFile(record.value.bytes, deps.limits)
  if (!torrent.ok) return { problem: problem(torrent.error) }
  const base64 = bytesToBase64(record.value.bytes)
  if (source === 'dns-site') {
    const file = fileForPath(torrent.value, new URL(url).pathname)
    if (!file.ok) return { problem: problem(file.error) }
  }
  return { torrent: { source, pointer: { kind: 'file', base64, infoHash: torrent.value.infoHash }, secure: false, authenticated } }
}

/** A stored discovery (a pre-warmed DNS answer) as it must look to be used; anything else is looked up anew. */
function isFoundTorrent (value: unknown): value is FoundTorrent {
  if (typeof value !== 'object' || value === null) return false
  const found = value as Record<string, unknown>
  const pointer = found.pointer as Record<string, unknown> | null | undefined
  if (typeof pointer !== 'object' || pointer === null) return false
  const magnet = pointer.magnet as Record<string, unknown> | null | undefined
  const pointerOk = pointer.kind === 'url'
    ? typeof pointer.url === 'string'
    : pointer.kind === 'file'
      ? typeof pointer.base64 === 'string' && typeof pointer.infoHash === 'string'
      : pointer.kind === 'magnet' && typeof magnet === 'object' && magnet !== null && typeof magnet.uri === 'string' && typeof magnet.infoHash === 'string'
  return pointerOk && ['cache', 'response', 'dns-page', 'dns-site', 'negotiated'].includes(found.source as string) &&
    typeof found.secure === 'boolean' && typeof found.authenticated === 'boolean'
}

async function withCachedFile (pointer: TorrentPointer, cache: PointerCache): Promise<FoundPointer> {
  if (pointer.kind === 'magnet') return pointer
  const file = await cache.torrentFile(pointer.url)
  return file === null ? pointer : { kind: 'file', base64: file.base64, infoHash: file.infoHash, url: file.url }
}

async function servesPath (base64: string, url: string, limits: TorrentLimits): Promise<boolean> {
  const bytes = base64ToBytes(base64)
  if (bytes === null) return false
  const torrent = await readTorrentFile(bytes, limits)
  return torrent.ok && torrent.value.multiFile && fileForPath(torrent.value, new URL(url).pathname).ok
}
