import type { FailureKind } from '../platform/types'

export interface NavigationFailure {
  url: string
  kind: FailureKind
  /** The browser's own error text, kept for the user and for bug reports. */
  error: string
  at: number
}
