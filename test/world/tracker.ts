// A local BitTorrent tracker: WebSocket (for browsers and the Node seeders) and HTTP, on one port.
import type { Socket } from 'node:net'
import { Server } from 'bittorrent-tracker'

export interface Tracker {
  /** `ws://127.0.0.1:<port>`: the announce URL for WebRTC peers. */
  readonly wsUrl: string
  /** `http://127.0.0.1:<port>/announce` */
  readonly httpUrl: string
  readonly port: number
  /** Warnings and errors the tracker emitted; a test fails on ones it did not expect. */
  readonly problems: string[]
  stop: () => Promise<void>
}

export async function startTracker (host = '127.0.0.1'): Promise<Tracker> {
  const server = new Server({ udp: false, http: true, ws: true, stats: true, trustProxy: false })
  const problems: string[] = []
  server.on('error', (error: Error) => problems.push(`error: ${error.message}`))
  server.on('warning', (error: Error) => problems.push(`warning: ${error.message}`))

  const sockets = new Set<Socket>()
  server.http.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const port = (server.http.address() as { port: number }).port
  return {
    wsUrl: `ws://${host}:${port}`,
    httpUrl: `http://${host}:${port}/announce`,
    port,
    problems,
    async stop () {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
}
