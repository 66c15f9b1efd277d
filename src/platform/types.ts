import type { BrowserName } from './manifest'

/** Why a main-frame navigation failed, in words shared by both browsers. */
export type FailureKind =
  | 'connection-refused'
  | 'connection-reset'
  | 'dns'
  | 'timeout'
  | 'tls'
  | 'aborted'
  | 'other'

/** What each browser's module exports; `@platform` resolves to one of them at build time. */
export interface Platform {
  readonly browser: BrowserName
  /** Maps the `error` of webNavigation.onErrorOccurred to a failure kind. */
  classifyNavigationError: (error: string) => FailureKind
  /**
   * Chrome renders copies in the manifest sandbox page (opaque origin, inline scripts allowed).
   * Firefox has no sandbox pages: the viewer renders into a sandboxed srcdoc frame, where the
   * extension's policy keeps the copy's scripts from running.
   */
  readonly rendersInSandboxPage: boolean
}
