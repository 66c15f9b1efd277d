// A test origin: serves a fixture site and can be switched at run time between healthy and the
// ways real sites fail.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { Socket } from 'node:net'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

/** up: serves files · down: port closed (connection refused) · slow: accepts, never answers · overloaded: 503 */
export type OriginMode = 'up' | 'down' | 'slow' | 'overloaded'

export type ExtraHeaders = Record<string, string | string[]>

export interface Origin {
  /** `http://127.0.0.1:<port>`; tests usually reach it through a `*.test` name mapped to 127.0.0.1. */
  readonly url: string
  readonly port: number
  readonly mode: OriginMode
  /** `slow` holds requests forever, or answers them after `answerAfterMs` (a slow but alive site). */
  setMode: (mode: OriginMode, options?: { answerAfterMs?: number }) => Promise<void>
  /** Extra headers on every response (healthy or 503); replaces the previous set. */
  setHeaders: (headers: ExtraHeaders) => void
  /** Extra headers on the responses for one path only, over the common ones (each page its own X-Torrent). */
  setPathHeaders: (path: string, headers: ExtraHeaders) => void
  /** Serves `body` at `path` (e.g. a generated .torrent) on top of the fixture folder. */
  setFile: (path: string, body: string | Uint8Array) => void
  /** Request paths in the order they arrived. */
  readonly requests: string[]
  /** Body bytes sent so far. */
  readonly bytesServed: number
  /** The Accept-Encoding of each request, in order. */
  readonly acceptEncodings: string[]
  /** Answers `path` with this torrent (application/x-bittorrent) when the request accepts `torrent` (content negotiation). */
  negotiate: (path: string, torrent: Uint8Array) => void
  stop: () => Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.torrent': 'application/x-bittorrent',
  '.txt': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
  '.webm': 'video/webm',
  '.pdf': 'application/pdf'
}

/** The same bytes with one flipped in every 16 KiB: a mirror that serves damaged files. */
function corrupted (bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes)
  for (let at = 0; at < copy.length; at += 16_384) copy[at] = (copy[at] as number) ^ 0xff
  return copy
}

// Chromium swaps error bodies shorter than 512 bytes for its own error page.
const OVERLOADED_BODY = '<!doctype html><title>503 Service Unavailable</title><h1>Service Unavailable</h1>' +
  `<p>The server is overloaded. Try again later.</p><!-- ${'padding '.repeat(64)}-->\n`

/**
 * `tls`: serve HTTPS with this key and certificate (test/fixtures/tls, which the test world's Chromium trusts).
 * `corrupt`: every file served damaged (a bad mirror).
 * `stallAfterBytes`: a body longer than this stops after that many bytes and the connection hangs (a stalled mirror).
 * `probeAfterMs`: a one-byte request (`Range: bytes=0-0`, how a viewer probes mirrors) is answered this much later.
 */
export async function startOrigin (options: { root: string, headers?: ExtraHeaders, host?: string, tls?: { key: string, cert: string }, corrupt?: boolean, stallAfterBytes?: number, probeAfterMs?: number }): Promise<Origin> {
  const host = options.host ?? '127.0.0.1'
  let headers: ExtraHeaders = options.headers ?? {}
  const pathHeaders = new Map<string, ExtraHeaders>()
  let mode: OriginMode = 'up'
  let answerAfterMs: number | undefined
  const sockets = new Set<Socket>()
  const requests: string[] = []
  const extraFiles = new Map<string, string | Uint8Array>()
  let served = 0
  const acceptEncodings: string[] = []
  const negotiated = new Map<string, Uint8Array>()

  async function serveFile (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://origin').pathname)
    const extra = extraFiles.get(path)
    if (extra !== undefined) {
      const bytes = typeof extra === 'string' ? Buffer.from(extra) : extra
      serveBytes(req, res, options.corrupt === true ? corrupted(bytes) : bytes, TYPES[extname(path)] ?? 'application/octet-stream')
      return
    }
    let file = normalize(join(options.root, path))
    if (file !== options.root && !file.startsWith(options.root + sep)) return send(res, 403, 'forbidden')
    if ((await stat(file).catch(() => null))?.isDirectory() === true) file = join(file, 'index.html')
    const body = await contentOf(file)
    if (body === null) return send(res, 404, `not found: ${path}\n${' '.repeat(512)}`)
    serveBytes(req, res, body, TYPES[extname(file)] ?? 'application/octet-stream')
  }

  /**
   * A file's bytes as served (damaged, for a bad mirror), read again only when it changed: web seeds
   * ask for a large file in thousands of small ranges.
   */
  const contents = new Map<string, { mtimeMs: number, size: number, body: Uint8Array }>()
  async function contentOf (file: string): Promise<Uint8Array | null> {
    const info = await stat(file).catch(() => null)
    if (info === null || !info.isFile()) return null
    const known = contents.get(file)
    if (known !== undefined && known.mtimeMs === info.mtimeMs && known.size === info.size) return known.body
    const bytes = await readFile(file)
    const body = options.corrupt === true ? corrupted(bytes) : bytes
    contents.set(file, { mtimeMs: info.mtimeMs, size: info.size, body })
    return body
  }

  /** Answers one `Range: bytes=a-b` with 206, as real servers do (web seeds and mirrors ask for pieces). */
  function serveBytes (req: IncomingMessage, res: ServerResponse, body: Uint8Array, type: string): void {
    const end = (part?: Uint8Array): void => {
      const stall = options.stallAfterBytes
      if (part === undefined || stall === undefined || part.length <= stall) res.end(part)
      else res.write(part.subarray(0, stall)) // and nothing more, ever
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '')
    const common = { ...headers, ...pathHeaders.get(new URL(req.url ?? '/', 'http://origin').pathname), 'content-type': type, 'accept-ranges': 'bytes' }
    if (range === null || (range[1] === '' && range[2] === '')) {
      if (req.method !== 'HEAD') served += body.length
      res.writeHead(200, { ...common, 'content-length': body.length })
      end(req.method === 'HEAD' ? undefined : body)
      return
    }
    const start = range[1] === '' ? Math.max(0, body.length - Number(range[2])) : Number(range[1])
    const last = range[1] === '' || range[2] === '' ? body.length - 1 : Math.min(Number(range[2]), body.length - 1)
    if (start > last || start >= body.length) {
      res.writeHead(416, { ...common, 'content-range': `bytes */${body.length}` })
      res.end()
      return
    }
    const part = body.subarray(start, last + 1)
    if (req.method !== 'HEAD') served += part.length
    res.writeHead(206, { ...common, 'content-length': part.length, 'content-range': `bytes ${start}-${last}/${body.length}` })
    end(req.method === 'HEAD' ? undefined : part)
  }

  function send (res: ServerResponse, status: number, body: string, extra: ExtraHeaders = {}): void {
    res.writeHead(status, { ...extra, 'content-type': 'text/html; charset=utf-8' })
    res.end(body)
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push(req.url ?? '/')
    const acceptEncoding = req.headers['accept-encoding'] ?? ''
    acceptEncodings.push(acceptEncoding)
    const torrent = negotiated.get(new URL(req.url ?? '/', 'http://origin').pathname)
    if (torrent !== undefined && mode !== 'down' && acceptEncoding.split(',').some((coding) => coding.trim().split(';')[0] === 'torrent')) {
      res.writeHead(200, { ...headers, 'content-type': 'application/x-bittorrent', vary: 'Accept-Encoding', 'content-length': torrent.length })
      res.end(torrent)
      return
    }
    if (mode === 'slow') {
      // Held open until the mode changes or the origin stops; or answered late.
      if (answerAfterMs !== undefined) setTimeout(() => { serveFile(req, res).catch(() => res.destroy()) }, answerAfterMs)
      return
    }
    if (mode === 'overloaded') return send(res, 503, OVERLOADED_BODY, { ...headers, 'retry-after': '120' })
    const serve = (): void => { serveFile(req, res).catch((error: unknown) => send(res, 500, String(error))) }
    if (options.probeAfterMs !== undefined && req.headers.range === 'bytes=0-0') setTimeout(serve, options.probeAfterMs)
    else serve()
  }
  const server = options.tls === undefined ? createServer(handle) : createTlsServer(options.tls, handle)
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const listen = async (port: number): Promise<void> => await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => { server.off('error', reject); resolve() })
  })
  const close = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    await closed
  }

  await listen(0)
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('origin: no TCP address')
  const port = address.port

  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${host}:${port}`,
    port,
    get mode () { return mode },
    requests,
    get bytesServed () { return served },
    acceptEncodings,
    negotiate (path, torrent) { negotiated.set(path, torrent) },
    async setMode (next, options = {}) {
      answerAfterMs = options.answerAfterMs
      if (next === mode) return
      const wasDown = mode === 'down'
      // Requests held by `slow` are cut when the mode changes, as a restarted server would.
      for (const socket of sockets) socket.destroy()
      mode = next
      if (next === 'down') await close()
      else if (wasDown) await listen(port)
    },
    setHeaders (next) { headers = next },
    setPathHeaders (path, next) { pathHeaders.set(path, next) },
    setFile (path, body) { extraFiles.set(path, body) },
    async stop () {
      if (mode !== 'down') await close()
      mode = 'down'
    }
  }
}
