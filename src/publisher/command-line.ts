// What every `peerback` command shares: its exit codes, argument errors, and stopping on Ctrl-C.
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Exit codes scripts can rely on; `--help` lists them. */
export const EXIT = {
  ok: 0,
  /** The work failed: a file could not be written, a port was taken, nothing could be seeded. */
  failed: 1,
  /** The command was called wrong: an unknown option, a missing directory, a bad URL. */
  usage: 2
} as const

/** A mistake in how the command was called; printed with a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

type Options = NonNullable<ParseArgsConfig['options']>

export function parseCommand<T extends Options> (args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'))
  }
}

/** An http(s) URL, or a UsageError naming the option. */
export function httpUrl (value: string, option: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${option} ${JSON.stringify(value)} is not a URL (write it like https://example.com/).`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${option} ${value} must be an http:// or https:// URL.`)
  return url
}

export function trackerUrl (value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--tracker ${JSON.stringify(value)} is not a URL (write it like wss://tracker.example.com).`)
  }
  if (!['wss:', 'ws:', 'https:', 'http:'].includes(url.protocol)) throw new UsageError(`--tracker ${value}: browsers reach trackers over wss:// (or ws://, http(s):// for other clients).`)
  return value
}

export function portNumber (value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${value} is not a port number (0–65535).`)
  return port
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
export async function untilStopped (): Promise<string> {
  return await new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
