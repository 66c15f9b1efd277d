// Digests a site publishes for a document, to check a copy from peers or mirrors against:
// `X-MD5: <hex>`, `Digest: SHA-256=<base64>` (RFC 3230) and `Repr-Digest: sha-256=:<base64>:` (RFC 9530).
import { base64ToBytes, bytesToHex } from './base64'
import { ProtocolError, quote } from './errors'

/** Lowercase hex of each digest the site gave. */
export interface Digests {
  md5?: string
  sha256?: string
  sha512?: string
}

type Algorithm = keyof Digests
const LENGTHS: Record<Algorithm, number> = { md5: 16, sha256: 32, sha512: 64 }
const NAMES: Record<string, Algorithm> = { md5: 'md5', 'sha-256': 'sha256', 'sha-512': 'sha512' }

export interface ParsedDigests {
  digests: Digests
  problems: ProtocolError[]
}

export function parseDigests (headers: { xMd5?: string[], digest?: string[], reprDigest?: string[] }): ParsedDigests {
  const digests: Digests = {}
  const problems: ProtocolError[] = []
  const add = (algorithm: Algorithm, hex: string | null, source: string): void => {
    if (hex === null || hex.length !== LENGTHS[algorithm] * 2) {
      problems.push(new ProtocolError('bad-digest', `Ignored ${source}: not a ${algorithm.toUpperCase()} digest.`))
      return
    }
    const known = digests[algorithm]
    if (known !== undefined && known !== hex) {
      problems.push(new ProtocolError('bad-digest', `The site gave two different ${algorithm.toUpperCase()} digests; ignoring ${source}.`))
      return
    }
    digests[algorithm] = hex
  }

  for (const value of headers.xMd5 ?? []) {
    const hex = value.trim().toLowerCase()
    add('md5', /^[0-9a-f]{32}$/.test(hex) ? hex : null, `X-MD5 ${quote(value)}`)
  }
  // RFC 3230: `Digest: MD5=<base64>, SHA-256=<base64>`; algorithms we do not check are skipped.
  for (const value of headers.digest ?? []) {
    for (const item of value.split(',')) {
      const eq = item.indexOf('=')
      if (eq === -1) continue
      const algorithm = NAMES[item.slice(0, eq).trim().toLowerCase()]
      if (algorithm !== undefined) add(algorithm, base64ToHex(item.slice(eq + 1).trim()), `Digest ${quote(item.trim())}`)
    }
  }
  // RFC 9530, a structured-field dictionary: `sha-256=:<base64>:, sha-512=:<base64>:`.
  for (const value of headers.reprDigest ?? []) {
    for (const item of value.split(',')) {
      const match = /^\s*([a-z0-9-]+)\s*=\s*:([^:]*):\s*$/i.exec(item)
      const algorithm = match === null ? undefined : NAMES[(match[1] as string).toLowerCase()]
      if (algorithm !== undefined) add(algorithm, base64ToHex(match?.[2] as string), `Repr-Digest ${quote(item.trim())}`)
    }
  }
  return { digests, problems }
}

function base64ToHex (text: string): string | null {
  const bytes = base64ToBytes(text)
  return bytes === null ? null : bytesToHex(bytes)
}
