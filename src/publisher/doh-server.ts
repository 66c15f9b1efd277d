// A DNS-over-HTTPS endpoint (RFC 8484 wire format, GET and POST) answering TXT questions from a
// table: `peerback doh` fills it from a zone fragment, tests set it directly. Plain HTTP, meant for
// loopback (the extension accepts an http:// resolver only there). It can also be told to fail,
// so the extension's error paths can be tried by hand and by tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import dnsPacket, { type Packet, type TxtAnswer } from 'dns-packet'
import { listen } from './listen'

const DNS_MESSAGE = 'application/dns-message'
const NXDOMAIN = 3
const SERVFAIL = 2
const FORMERR = 1

export interface DohQuery {
  name: string
  type: string
  method: 'GET' | 'POST'
}

/** How the resolver misbehaves: SERVFAIL answers, HTTP 500, or no answer at all. */
export type DohFailure = 'servfail' | 'http-500' | 'hang' | null

export interface DohEndpoint {
  /** The resolver URL to configure: `http://127.0.0.1:<port>/dns-query`. */
  readonly url: string
  /**
   * Sets the TXT records of a name; each record is its list of character-strings. An empty list
   * makes the name exist with no TXT (NOERROR, no answer); a name never set is NXDOMAIN.
   */
  setTxt: (name: string, records: string[][]) => void
  /** Answers carry the AD bit (DNSSEC validated) when true. */
  setAuthenticated: (authenticated: boolean) => void
  /** Makes the resolver fail every query in one way; null makes it healthy again. */
  setFailure: (failure: DohFailure) => void
  /** Every question asked, in order: tests check that lookups happen only when they should. */
  readonly queries: DohQuery[]
  stop: () => Promise<void>
}

export async function startDoh ({ host = '127.0.0.1', port = 0 }: { host?: string, port?: number } = {}): Promise<DohEndpoint> {
  const zone = new Map<string, string[][]>()
  const queries: DohQuery[] = []
  let authenticated = false
  let failure: DohFailure = null
  const sockets = new Set<Socket>()

  function answer (query: Packet, method: DohQuery['method']): Buffer {
    const question = query.questions?.[0]
    const base = { type: 'response' as const, id: query.id ?? 0, questions: query.questions ?? [] }
    if (question === undefined) return dnsPacket.encode({ ...base, flags: dnsPacket.RECURSION_DESIRED | FORMERR })
    const name = question.name.toLowerCase().replace(/\.$/, '')
    queries.push({ name, type: question.type, method })
    const records = zone.get(name)
    const rcode = failure === 'servfail' ? SERVFAIL : records === undefined ? NXDOMAIN : 0
    const flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE |
      (authenticated ? dnsPacket.AUTHENTIC_DATA : 0) | rcode
    const answers: TxtAnswer[] = question.type === 'TXT' && rcode === 0
      ? (records ?? []).map((strings) => ({ type: 'TXT', name: question.name, ttl: 60, class: 'IN', data: strings }))
      : []
    return dnsPacket.encode({ ...base, flags, answers })
  }

  async function readBody (req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://doh')
    if (url.pathname !== '/dns-query') return reply(res, 404, 'text/plain', 'not found')
    let wire: Buffer
    if (req.method === 'GET') {
      const param = url.searchParams.get('dns')
      if (param === null) return reply(res, 400, 'text/plain', 'missing dns parameter')
      wire = Buffer.from(param, 'base64url')
    } else if (req.method === 'POST') {
      if (req.headers['content-type'] !== DNS_MESSAGE) return reply(res, 415, 'text/plain', `expected ${DNS_MESSAGE}`)
      wire = await readBody(req)
    } else {
      return reply(res, 405, 'text/plain', 'GET or POST')
    }
    let query: Packet
    try {
      query = dnsPacket.decode(wire)
    } catch {
      return reply(res, 400, 'text/plain', 'malformed DNS message')
    }
    if (failure === 'hang') {
      queries.push({ name: query.questions?.[0]?.name ?? '', type: query.questions?.[0]?.type ?? '', method: req.method })
      return // held open until the endpoint stops
    }
    if (failure === 'http-500') {
      answer(query, req.method)
      return reply(res, 500, 'text/plain', 'resolver broken')
    }
    reply(res, 200, DNS_MESSAGE, answer(query, req.method))
  }

  function reply (res: ServerResponse, status: number, type: string, body: string | Buffer): void {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'max-age=0', 'access-control-allow-origin': '*' })
    res.end(body)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, 'text/plain', String(error)))
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await listen(server, port, host)
  const bound = (server.address() as { port: number }).port

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/dns-query`,
    setTxt (name, records) { zone.set(name.toLowerCase().replace(/\.$/, ''), records) },
    setAuthenticated (value) { authenticated = value },
    setFailure (value) { failure = value },
    queries,
    async stop () {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
}
