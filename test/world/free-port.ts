// A free TCP port on loopback, for servers that take a port number rather than 0 (BIND, nginx, or a
// web seed address that must be known before the server starts).
import { createServer } from 'node:net'

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
