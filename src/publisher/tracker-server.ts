// A BitTorrent tracker: WebSocket (for browsers and Node WebRTC peers) and HTTP, on one port, with
// bittorrent-tracker's stats page at /stats.
import type { Socket } from 'node:net'
import { Server } from 'bittorrent-tracker'
import { listen } from './listen'

export interface Tracker {
  /** `ws://127.0.0.1:<port>`: the announce URL for WebRTC peers. */
  readonly wsUrl: string
  /** `http://127.0.0.1:<port>/announce` */
  readonly httpUrl: string
  /** bittorrent-tracker's HTML stats page (`/stats.json` for JSON). */
  readonly statsUrl: string
  readonly port: number
  /** Warnings and errors the tracker emitted; a test fails on ones it did not expect. */
  readonly problems: string[]
  stop: () => Promise<void>
}

export async function startTracker ({ host = '127.0.0.1', port = 0 }: { host?: string, port?: number } = {}): Promise<Tracker> {
  const server = new Server({ udp: false, http: true, ws: true, stats: true, trustProxy: false })
  const problems: string[] = []
  server.on('error', (error: Error) => problems.push(`error: ${error.message}`))
  server.on('warning', (error: Error) => problems.push(`warning: ${error.message}`))

  const sockets = new Set<Socket>()
  server.http.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await listen(server, port, host, server.http)
  const bound = (server.http.address() as { port: number }).port
  const authority = `${host.includes(':') ? `[${host}]` : host}:${bound}`
  return {
    wsUrl: `ws://${authority}`,
    httpUrl: `http://${authority}/announce`,
    statsUrl: `http://${authority}/stats`,
    port: bound,
    problems,
    async stop () {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
}
