// A stand-in web archive on loopback: the Wayback Machine's availability API
// (`/wayback/available?url=<page>`) and the snapshot pages it names.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Archive {
  /** `http://127.0.0.1:<port>`: the "Web archive" setting for tests. */
  readonly url: string
  /** The pages the API was asked about, in order. */
  readonly asked: string[]
  /** Keeps a snapshot of `page`; returns its address. */
  keep: (page: string, stamp?: string) => string
  stop: () => Promise<void>
}

export async function startArchive (): Promise<Archive> {
  const snapshots = new Map<string, string>()
  const asked: string[] = []
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://archive')
    if (url.pathname === '/wayback/available') {
      const page = url.searchParams.get('url') ?? ''
      asked.push(page)
      const snapshot = snapshots.get(page)
      const closest = snapshot === undefined ? undefined : { status: '200', available: true, url: snapshot, timestamp: /\/web\/(\d+)\//.exec(snapshot)?.[1] }
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ url: page, archived_snapshots: closest === undefined ? {} : { closest } }))
      return
    }
    const archived = /^\/web\/\d+\/(.+)$/.exec(url.pathname + url.search)?.[1]
    if (archived !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(`<!doctype html><title>Archived</title><h1 id="archived">Archived copy of ${archived.replace(/[<&]/g, '')}</h1>`)
      return
    }
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    asked,
    keep: (page, stamp = '20261201120000') => {
      const snapshot = `${base}/web/${stamp}/${page}`
      snapshots.set(page, snapshot)
      return snapshot
    },
    stop: async () => { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)) }
  }
}
