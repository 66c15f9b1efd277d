/** Why a main-frame navigation failed, in words shared by both browsers (src/platform/ maps each browser's error names to these). */
export type FailureKind =
  | 'connection-refused'
  | 'connection-reset'
  | 'dns'
  | 'timeout'
  | 'tls'
  | 'aborted'
  | 'other'

/** What made a page a candidate for its copy: the navigation's error, or the status it answered with. */
export type Trigger =
  | { kind: 'navigation-error', failure: FailureKind }
  | { kind: 'status', status: number, hasPointers: boolean }

export interface NavigationFailure {
  url: string
  kind: FailureKind
  /** The browser's own error text, kept for the user and for bug reports. */
  error: string
  at: number
}
