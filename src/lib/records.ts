import type { FailureKind } from '../platform/types'
import type { PointerHeaders } from '../protocol/pointer-headers'

export interface NavigationFailure {
  url: string
  kind: FailureKind
  /** The browser's own error text, kept for the user and for bug reports. */
  error: string
  at: number
}

export interface PointerRecord {
  url: string
  headers: PointerHeaders
  /** Pointers from plain-HTTP responses are shown as unauthenticated (DESIGN.md §3). */
  secure: boolean
  seenAt: number
}
