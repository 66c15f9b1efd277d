// Checks a copy's bytes against the digests its site published (X-MD5, Digest, Repr-Digest).
// WebCrypto has no MD5, so MD5 comes from spark-md5; the SHA family from crypto.subtle.
import SparkMD5 from 'spark-md5'
import { bytesToHex } from './base64'
import type { Digests } from './digests'

/** null when every published digest matches, else a sentence saying which one did not. */
export async function digestMismatch (bytes: ArrayBuffer, digests: Digests): Promise<string | null> {
  for (const [algorithm, name] of [['sha256', 'SHA-256'], ['sha512', 'SHA-512']] as const) {
    const expected = digests[algorithm]
    if (expected === undefined) continue
    const actual = bytesToHex(new Uint8Array(await crypto.subtle.digest(name, bytes)))
    if (actual !== expected) return mismatch(name)
  }
  if (digests.md5 !== undefined && SparkMD5.ArrayBuffer.hash(bytes) !== digests.md5) return mismatch('MD5')
  return null
}

const mismatch = (name: string): string =>
  `The copy does not match the ${name} digest the site published: it was not shown.`
