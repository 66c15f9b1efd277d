// Checks a copy's bytes against the digests its site published (X-MD5, Digest, Repr-Digest), piece
// by piece as they arrive, so a large file is never held twice to be hashed. SHA-256 is always
// computed: it is the checksum the viewer shows for a saved file.
import { sha256, sha512 } from '@noble/hashes/sha2'
import SparkMD5 from 'spark-md5'
import { bytesToHex } from './base64'
import type { Digests } from './digests'

export class RunningDigests {
  private readonly sha256 = sha256.create()
  private readonly sha512
  private readonly md5
  private done: Digests | null = null

  /** `expected`: the digests to check at the end; SHA-512 and MD5 are computed only when given. */
  constructor (private readonly expected: Digests = {}) {
    this.sha512 = expected.sha512 === undefined ? null : sha512.create()
    this.md5 = expected.md5 === undefined ? null : new SparkMD5.ArrayBuffer()
  }

  update (chunk: Uint8Array): void {
    if (this.done !== null) throw new Error('RunningDigests: update after the end')
    this.sha256.update(chunk)
    this.sha512?.update(chunk)
    // spark-md5 reads an ArrayBuffer whole: hand it exactly this chunk's bytes.
    this.md5?.append(chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk.buffer as ArrayBuffer : new Uint8Array(chunk).buffer)
  }

  /** Lowercase hex of every digest computed. */
  result (): Digests {
    this.done ??= {
      sha256: bytesToHex(this.sha256.digest()),
      ...(this.sha512 !== null && { sha512: bytesToHex(this.sha512.digest()) }),
      ...(this.md5 !== null && { md5: this.md5.end() })
    }
    return this.done
  }

  /** null when every published digest matches, else a sentence saying which one did not. */
  mismatch (what = 'The copy'): string | null {
    const actual = this.result()
    for (const [algorithm, name] of [['sha256', 'SHA-256'], ['sha512', 'SHA-512'], ['md5', 'MD5']] as const) {
      const expected = this.expected[algorithm]
      if (expected !== undefined && actual[algorithm] !== expected) return `${what} does not match the ${name} digest the site published.`
    }
    return null
  }
}

const SUBTLE_NAMES = [['sha256', 'SHA-256'], ['sha512', 'SHA-512']] as const

/**
 * null when every published digest matches, else a sentence saying which one did not. Only the
 * published ones are computed (none for most pages), the SHA-2 ones by the platform's own code.
 */
export async function digestMismatch (bytes: ArrayBuffer, digests: Digests): Promise<string | null> {
  const name = await failingDigest(bytes, digests)
  return name === null ? null : `The copy does not match the ${name} digest the site published: it was not shown.`
}

/** The name of the first digest failingDigest checks (SHA-256, SHA-512, MD5). */
export function publishedDigestName (digests: Digests): string {
  return SUBTLE_NAMES.find(([algorithm]) => digests[algorithm] !== undefined)?.[1] ?? 'MD5'
}

/** The name of the first published digest the bytes do not match (SHA-256, SHA-512, MD5), or null. */
export async function failingDigest (bytes: ArrayBuffer, digests: Digests): Promise<string | null> {
  for (const [algorithm, name] of SUBTLE_NAMES) {
    const expected = digests[algorithm]
    if (expected !== undefined && bytesToHex(new Uint8Array(await crypto.subtle.digest(name, bytes))) !== expected) return name
  }
  if (digests.md5 !== undefined && SparkMD5.ArrayBuffer.hash(bytes) !== digests.md5) return 'MD5'
  return null
}
