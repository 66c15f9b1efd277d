// Fetching a .torrent file a site pointed to, with the size cap applied while reading.
import { fail, ok, type Result } from '../protocol/errors'
import { MAX_METADATA_BYTES, formatBytes } from '../protocol/torrent-file'

export async function fetchTorrentFile (url: string, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis), timeoutMs = 10_000): Promise<Result<Uint8Array>> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    const response = await fetchImpl(url, { credentials: 'omit', signal: controller.signal })
    if (!response.ok || response.body === null) return fail('fetch-failed', `The torrent file ${url} could not be fetched (HTTP ${response.status}).`)
    const declared = Number(response.headers.get('content-length'))
    if (declared > MAX_METADATA_BYTES) return tooLarge(url)
    const chunks: Uint8Array[] = []
    let size = 0
    const reader = response.body.getReader()
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.length
      if (size > MAX_METADATA_BYTES) {
        await reader.cancel()
        return tooLarge(url)
      }
      chunks.push(read.value)
    }
    const bytes = new Uint8Array(size)
    let at = 0
    for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length }
    return ok(bytes)
  } catch {
    return fail('fetch-failed', `The torrent file ${url} could not be fetched: ${controller.signal.aborted ? 'no answer in time' : 'the server is unreachable'}.`)
  } finally {
    clearTimeout(timer)
  }
}

const tooLarge = (url: string): Result<never> =>
  fail('torrent-metadata-too-large', `The torrent file ${url} is larger than ${formatBytes(MAX_METADATA_BYTES)}; Peerback does not read it.`)
