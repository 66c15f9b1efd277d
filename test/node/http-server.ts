// A bare HTTP server on loopback for Node tests: what it is asked, and an answer per request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string
  /** Request paths, in order; tests empty it between cases. */
  readonly requests: string[]
  close: () => Promise<void>
}

export async function serve (answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(req.url ?? '')
    answer(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
