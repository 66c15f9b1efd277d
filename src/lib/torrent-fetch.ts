// Fetching a .torrent file a site pointed to: through the fetch policy, at most its size cap.
import type { FetchContext } from '../protocol/fetch-policy'
import { fail, ok, type Result } from '../protocol/errors'
import { MAX_METADATA_BYTES } from '../protocol/torrent-limits'
import { formatBytes } from '../protocol/format'
import { RefusedFetch, Stalled, TooMuchData, readBody, siteFetch } from './site-fetch'

export async function fetchTorrentFile (url: string, context: FetchContext, fetchImpl?: typeof fetch, timeoutMs = 10_000): Promise<Result<Uint8Array>> {
  try {
    const response = await siteFetch(url, context, { maxBytes: MAX_METADATA_BYTES, stallMs: timeoutMs }, fetchImpl)
    if (!response.ok) return fail('fetch-failed', `The torrent file ${url} could not be fetched (HTTP ${response.status}).`, [url])
    if (Number(response.headers.get('content-length')) > MAX_METADATA_BYTES) {
      await response.body?.cancel()
      return tooLarge(url)
    }
    return ok(await readBody(response))
  } catch (error) {
    if (error instanceof RefusedFetch) return fail('fetch-refused', error.message, [url])
    if (error instanceof TooMuchData) return tooLarge(url)
    return fail('fetch-failed', `The torrent file ${url} could not be fetched: ${error instanceof Stalled ? 'no answer in time' : 'the server is unreachable'}.`, [url])
  }
}

const tooLarge = (url: string): Result<never> =>
  fail('torrent-metadata-too-large', `The torrent file ${url} is larger than ${formatBytes(MAX_METADATA_BYTES)}; Peerback does not read it.`, [formatBytes(MAX_METADATA_BYTES)])
