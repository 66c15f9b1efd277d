// DNS-over-HTTPS (RFC 8484, GET, wire format) for `_torrent` TXT lookups. Never the system
// resolver: the user chose this one, and it is the only party that learns the name.
import { bytesToBase64 } from '../protocol/base64'
import { encodeTxtQuery, readTxtAnswer, type TxtAnswer } from '../protocol/dns-message'
import { fail, type Result } from '../protocol/errors'

export interface DohOptions {
  resolverUrl: string
  fetch?: typeof fetch
  timeoutMs?: number
  /** Tries after the first, on a timeout, a network error, SERVFAIL or an HTTP 5xx. */
  retries?: number
}

export type LookupTxt = (name: string) => Promise<Result<TxtAnswer | null>>

export function dohClient (options: DohOptions): LookupTxt {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis)
  const timeoutMs = options.timeoutMs ?? 3000
  const retries = options.retries ?? 1

  async function once (name: string): Promise<{ result: Result<TxtAnswer | null>, retry: boolean }> {
    if (!URL.canParse(options.resolverUrl)) {
      return { result: fail('bad-url', `The DNS resolver ${options.resolverUrl} is not a URL; choose another in Peerback's settings.`, [options.resolverUrl]), retry: false }
    }
    const url = new URL(options.resolverUrl)
    url.searchParams.set('dns', bytesToBase64(encodeTxtQuery(name)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      const response = await fetchImpl(url, {
        headers: { accept: 'application/dns-message' },
        signal: controller.signal,
        credentials: 'omit',
        referrerPolicy: 'no-referrer'
      })
      if (!response.ok) {
        return { result: fail('dns-http', `The DNS resolver ${url.host} answered HTTP ${response.status} for ${name}.`, [url.host, String(response.status)]), retry: response.status >= 500 }
      }
      const result = readTxtAnswer(new Uint8Array(await response.arrayBuffer()), name)
      return { result, retry: !result.ok && result.error.code === 'dns-failed' }
    } catch {
      const why = controller.signal.aborted ? `did not answer within ${timeoutMs / 1000} s` : 'could not be reached'
      const details = controller.signal.aborted ? [url.host, timeoutMs / 1000] : [url.host]
      return { result: fail(controller.signal.aborted ? 'dns-timeout' : 'dns-unreachable', `The DNS resolver ${url.host} ${why} for ${name}.`, details), retry: true }
    } finally {
      clearTimeout(timer)
    }
  }

  return async (name) => {
    let attempt = await once(name)
    for (let i = 0; i < retries && attempt.retry; i++) attempt = await once(name)
    return attempt.result
  }
}
