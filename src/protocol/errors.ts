// Every way the protocol code can refuse an input, with a message a site owner can act on (the
// publisher prints it) and the details a reader's message is filled with, in the reader's
// language (lib/problem-words.ts). Parsers return a Result instead of throwing, so nothing untyped
// escapes the module.

export type ProtocolErrorCode =
  | 'bad-url'
  | 'bad-magnet'
  | 'bad-link'
  | 'bad-digest'
  | 'ip-literal-host'
  | 'not-http'
  | 'txt-conflict'
  | 'txt-incomplete'
  | 'txt-bad-chunk'
  | 'txt-too-large'
  | 'torrent-unreadable'
  | 'torrent-metadata-too-large'
  | 'torrent-too-many-files'
  | 'torrent-too-large'
  | 'torrent-unsafe-path'
  | 'no-file-for-path'
  | 'dns-unreadable'
  | 'dns-failed'
  | 'dns-http'
  | 'dns-timeout'
  | 'dns-unreachable'
  | 'fetch-failed'
  | 'fetch-refused'

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError'
  /** `details`: what the reader's message for `code` is filled with, in its placeholders' order. */
  constructor (readonly code: ProtocolErrorCode, message: string, readonly details: Array<string | number> = []) {
    super(message)
  }
}

export type Result<T> = { ok: true, value: T } | { ok: false, error: ProtocolError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = <T = never>(code: ProtocolErrorCode, message: string, details: Array<string | number> = []): Result<T> =>
  ({ ok: false, error: new ProtocolError(code, message, details) })

/** Shortens untrusted text for an error message. */
export function quote (text: string, max = 80): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?')
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean)
}
