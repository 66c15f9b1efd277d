// The response headers through which a site points to copies of a page (docs/protocol.md): the
// torrent itself, mirrors, and digests to check a copy against. Pure; shared with the publisher.
import { parseDigests, type Digests } from './digests'
import { fail, ok, quote, type ProtocolError, type Result } from './errors'
import { parseLinkHeader, relationsOf } from './link-header'
import { parseMagnet, type Magnet } from './magnet'

export const POINTER_HEADER_NAMES = [
  'x-torrent',
  'link',
  'x-mirrored-by',
  'x-md5',
  'digest',
  'repr-digest'
] as const

export type PointerHeaderName = typeof POINTER_HEADER_NAMES[number]

/** Header values by lowercase name; a header sent several times keeps every value, in order. */
export type PointerHeaders = Partial<Record<PointerHeaderName, string[]>>

export interface RawHeader {
  name: string
  value?: string
}

const isPointerHeader = (name: string): name is PointerHeaderName =>
  (POINTER_HEADER_NAMES as readonly string[]).includes(name)

/**
 * What is read of a response's pointer headers: a value longer than this is ignored, and so are
 * the values of one header past the first MAX_HEADER_VALUES. Real ones are a few hundred bytes;
 * a hostile site's are bounded work.
 */
export const MAX_HEADER_CHARS = 16 * 1024
export const MAX_HEADER_VALUES = 16

/** The pointer headers of a response, or null when it has none worth remembering. Linear in the headers' size. */
export function pickPointerHeaders (headers: readonly RawHeader[]): PointerHeaders | null {
  const picked: PointerHeaders = {}
  let found = false
  for (const { name, value } of headers) {
    const key = name.toLowerCase()
    if (!isPointerHeader(key) || value === undefined || value.length > MAX_HEADER_CHARS || value.trim() === '') continue
    if ((picked[key]?.length ?? 0) >= MAX_HEADER_VALUES) continue
    // A Link header that names no torrent, mirror or digest (preload, canonical…) is no pointer.
    // (Two linear tests: a single pattern spanning both backtracked quadratically on hostile values.)
    if (key === 'link' && !(/\brel\s*=/i.test(value) && /\b(describedby|duplicate)\b/i.test(value))) continue
    ;(picked[key] ??= []).push(value.trim())
    found = true
  }
  return found ? picked : null
}

/** Where a torrent is: a .torrent file to fetch, or a magnet link. */
export type TorrentPointer =
  | { kind: 'url', url: string }
  | { kind: 'magnet', magnet: Magnet }

export interface Pointers {
  /** In order of preference: X-Torrent first, then Link rel=describedby. */
  torrents: TorrentPointer[]
  /** Absolute http(s) URLs of mirrors of this document: X-Mirrored-By and Link rel=duplicate. */
  mirrors: string[]
  digests: Digests
  /** What was ignored and why; each names the header value it refers to. */
  problems: ProtocolError[]
}

const TORRENT_TYPE = 'application/x-bittorrent'

/** Reads the pointers out of a response's pointer headers; `responseUrl` resolves relative URLs. */
export function readPointers (headers: PointerHeaders, responseUrl: string): Pointers {
  const pointers: Pointers = { torrents: [], mirrors: [], digests: {}, problems: [] }
  const addTorrent = (result: Result<TorrentPointer>): void => {
    if (!result.ok) { pointers.problems.push(result.error); return }
    const key = torrentKey(result.value)
    if (!pointers.torrents.some((known) => torrentKey(known) === key)) pointers.torrents.push(result.value)
  }
  const addMirror = (target: string, source: string): void => {
    const url = resolveHttpUrl(target, responseUrl, source)
    if (!url.ok) pointers.problems.push(url.error)
    else if (!pointers.mirrors.includes(url.value)) pointers.mirrors.push(url.value)
  }

  for (const value of headers['x-torrent'] ?? []) addTorrent(parseTorrentPointer(value, responseUrl, 'X-Torrent'))
  for (const value of headers.link ?? []) {
    const { links, problems } = parseLinkHeader(value)
    pointers.problems.push(...problems)
    for (const link of links) {
      const relations = relationsOf(link)
      if (relations.includes('describedby') && link.params.type?.toLowerCase() === TORRENT_TYPE) {
        addTorrent(parseTorrentPointer(link.target, responseUrl, 'Link'))
      }
      if (relations.includes('duplicate')) addMirror(link.target, 'Link rel=duplicate')
    }
  }
  for (const value of headers['x-mirrored-by'] ?? []) {
    for (const item of value.split(',')) if (item.trim() !== '') addMirror(item.trim(), 'X-Mirrored-By')
  }
  const { digests, problems } = parseDigests({
    ...(headers['x-md5'] && { xMd5: headers['x-md5'] }),
    ...(headers.digest && { digest: headers.digest }),
    ...(headers['repr-digest'] && { reprDigest: headers['repr-digest'] })
  })
  pointers.digests = digests
  pointers.problems.push(...problems)
  return pointers
}

/** `X-Torrent` and Link targets: a magnet link, or a URL of a .torrent relative to the response. */
export function parseTorrentPointer (value: string, responseUrl: string, source: string): Result<TorrentPointer> {
  const text = value.trim()
  if (/^magnet:/i.test(text)) {
    const magnet = parseMagnet(text)
    return magnet.ok ? ok({ kind: 'magnet', magnet: magnet.value }) : magnet
  }
  const url = resolveHttpUrl(text, responseUrl, source)
  return url.ok ? ok({ kind: 'url', url: url.value }) : url
}

function resolveHttpUrl (target: string, base: string, source: string): Result<string> {
  let url: URL
  try {
    url = new URL(target, base)
  } catch {
    return fail('bad-url', `Ignored ${source} ${quote(target)}: not a URL.`, [quote(target)])
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('not-http', `Ignored ${source} ${quote(target)}: only http and https URLs are followed.`)
  }
  url.hash = ''
  return ok(url.href)
}

const torrentKey = (pointer: TorrentPointer): string =>
  pointer.kind === 'url' ? pointer.url : `magnet:${pointer.magnet.infoHash}`
