// Listening on a port, with an error a person can act on when the port is taken or not allowed.
import type { EventEmitter } from 'node:events'

interface Listener { listen: (port: number, host: string, onListening: () => void) => unknown }

export async function listen (server: Listener, port: number, host: string, errors: EventEmitter = server as unknown as EventEmitter): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const why = error.code === 'EADDRINUSE'
        ? 'the port is already in use (pick another with --port)'
        : error.code === 'EACCES' ? 'not allowed (ports below 1024 need privileges)' : error.message
      reject(new Error(`cannot listen on ${host}:${port}: ${why}`))
    }
    errors.once('error', onError)
    server.listen(port, host, () => {
      errors.off('error', onError)
      resolve()
    })
  })
}
