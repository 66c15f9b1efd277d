// The seeder's own figures over HTTP, for the people and machines that watch a seeder for months:
// `/stats` as JSON, `/metrics` for Prometheus (prom-client).
import { createServer, type Server } from 'node:http'
import { Gauge, Registry } from 'prom-client'
import { listen } from './listen'

export interface TorrentFigures { label: string, infoHash: string, peers: number, uploaded: number, uploadSpeed: number }

export interface StatsServer { url: string, close: () => Promise<void> }

export async function startStats (figures: () => TorrentFigures[], { host, port }: { host: string, port: number }): Promise<StatsServer> {
  const registry = new Registry()
  const labelNames = ['torrent', 'info_hash'] as const
  const each = (name: string, help: string, value: (torrent: TorrentFigures) => number): void => {
    const gauge: Gauge<typeof labelNames[number]> = new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect () {
        gauge.reset()
        for (const torrent of figures()) gauge.set({ torrent: torrent.label, info_hash: torrent.infoHash }, value(torrent))
      }
    })
  }
  const torrents = new Gauge({ name: 'peerback_torrents', help: 'Torrents being seeded.', registers: [registry], collect () { torrents.set(figures().length) } })
  each('peerback_peers', 'Peers connected, per torrent.', (torrent) => torrent.peers)
  each('peerback_uploaded_bytes', 'Bytes uploaded since the seeder started, per torrent.', (torrent) => torrent.uploaded)
  each('peerback_upload_bytes_per_second', 'Upload speed, per torrent.', (torrent) => torrent.uploadSpeed)

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://seeder').pathname
    if (path === '/stats') {
      const all = figures()
      const totals = { torrents: all.length, peers: all.reduce((sum, t) => sum + t.peers, 0), uploaded: all.reduce((sum, t) => sum + t.uploaded, 0), uploadSpeed: all.reduce((sum, t) => sum + t.uploadSpeed, 0) }
      response.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify({ totals, torrents: all }, null, 2)}\n`)
      return
    }
    if (path === '/metrics') {
      registry.metrics().then((text) => { response.writeHead(200, { 'content-type': registry.contentType }).end(text) }, () => { response.writeHead(500).end() })
      return
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('peerback seed: /stats or /metrics\n')
  })
  await listen(server, port, host)
  const { port: bound } = server.address() as { port: number }
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`, close: async () => { await new Promise((resolve) => server.close(resolve)) } }
}
