// Why a mirror was not used, as data: the copy code says what went wrong (with an English message
// for logs and tests), the viewer says it in the reader's language. Pure.
import type { Translate } from './i18n-keys'
import { RefusedFetch, Stalled, TooMuchData } from './site-fetch'

export type MirrorFault =
  /** The fetch policy refused its address, or it answered with a redirect. */
  | { kind: 'refused' }
  | { kind: 'unreachable' }
  /** No answer, or no more of the body, for `seconds`. */
  | { kind: 'stalled', seconds: number, started: boolean }
  | { kind: 'http', status: number }
  /** It answered a range with another number of bytes than asked for. */
  | { kind: 'bad-range' }
  /** The file is larger than the reader lets a copy be. */
  | { kind: 'too-large' }
  | { kind: 'digest', algorithm: string }
  /** Its copy failed the digest; the witness's version of the ranges it disputed made one that passes. */
  | { kind: 'settled', algorithm: string, disputed: number, sampled: number, witness: string }

export interface RejectedMirror {
  mirror: string
  fault: MirrorFault
  /** The fault in English. */
  why: string
}

/** A mirror's fault, as the copy code throws it. */
export class MirrorError extends Error {
  constructor (readonly fault: MirrorFault, message: string) {
    super(message)
  }
}

/** No mirror served a good copy; each one's fault is in `rejected`. */
export class NoGoodMirror extends Error {
  constructor (readonly rejected: RejectedMirror[]) {
    super(`No mirror served a good copy: ${rejected.map(({ mirror, why }) => `${mirror} (${why})`).join('; ')}.`)
  }
}

/** What went wrong, from what a mirror's fetch threw. */
export function rejection (mirror: string, error: unknown): RejectedMirror {
  const why = error instanceof Error ? error.message : String(error)
  if (error instanceof MirrorError) return { mirror, fault: error.fault, why }
  if (error instanceof RefusedFetch) return { mirror, fault: { kind: 'refused' }, why }
  if (error instanceof TooMuchData) return { mirror, fault: { kind: 'too-large' }, why }
  if (error instanceof Stalled) return { mirror, fault: { kind: 'stalled', seconds: error.seconds, started: error.started }, why }
  return { mirror, fault: { kind: 'unreachable' }, why }
}

/** The mirrors passed over and why, in the reader's language: `host (why); host (why)`. */
export function rejectedWords (rejected: RejectedMirror[], t: Translate): string {
  return rejected.map(({ mirror, fault }) => `${new URL(mirror).host} (${faultWords(fault, t)})`).join('; ')
}

function faultWords (fault: MirrorFault, t: Translate): string {
  switch (fault.kind) {
    case 'refused': return t('mirrorFaultRefused')
    case 'unreachable': return t('mirrorFaultUnreachable')
    case 'stalled': return t(fault.started ? 'mirrorFaultStopped' : 'mirrorFaultSilent', fault.seconds)
    case 'http': return t('mirrorFaultHttp', String(fault.status))
    case 'bad-range': return t('mirrorFaultBadRange')
    case 'too-large': return t('mirrorFaultTooLarge')
    case 'digest': return t('mirrorFaultDigest', fault.algorithm)
    case 'settled': return t('mirrorFaultSettled', fault.algorithm, fault.disputed, fault.sampled, fault.witness)
  }
}
