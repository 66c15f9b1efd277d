// Magnet URIs (BEP 9): the info hash plus the trackers (tr), web seeds (ws) and name (dn) they carry.
import { decode as decodeMagnet } from 'magnet-uri'
import { fail, ok, quote, type Result } from './errors'

export interface Magnet {
  /** Lowercase hex, 40 characters (base32 hashes are converted). */
  infoHash: string
  name?: string
  trackers: string[]
  webSeeds: string[]
  /** The URI as given, for handing to WebTorrent. */
  uri: string
}

const HEX_HASH = /^[0-9a-f]{40}$/

export function parseMagnet (uri: string): Result<Magnet> {
  if (!/^magnet:\?/i.test(uri)) return fail('bad-magnet', `Not a magnet link: ${quote(uri)}.`)
  let decoded: ReturnType<typeof decodeMagnet>
  try {
    decoded = decodeMagnet(uri)
  } catch {
    return fail('bad-magnet', `The magnet link ${quote(uri)} has a malformed %-escape.`)
  }
  const infoHash = typeof decoded.infoHash === 'string' ? decoded.infoHash.toLowerCase() : ''
  if (!HEX_HASH.test(infoHash)) {
    return fail('bad-magnet', `The magnet link ${quote(uri)} has no BitTorrent info hash (xt=urn:btih:…).`)
  }
  const name = typeof decoded.name === 'string' && decoded.name !== '' ? decoded.name : undefined
  return ok({
    infoHash,
    ...(name !== undefined && { name }),
    trackers: strings(decoded.announce).filter(isUrl),
    webSeeds: strings(decoded.urlList).filter(isUrl),
    uri
  })
}

function strings (value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string')
}

function isUrl (text: string): boolean {
  return URL.canParse(text)
}
