import type { FailureKind, Platform } from './types'

// Chrome reports navigation errors as net error names: `net::ERR_CONNECTION_REFUSED`.
const NET_ERRORS: Record<string, FailureKind> = {
  ERR_CONNECTION_REFUSED: 'connection-refused',
  ERR_ADDRESS_UNREACHABLE: 'connection-refused',
  ERR_CONNECTION_RESET: 'connection-reset',
  ERR_CONNECTION_CLOSED: 'connection-reset',
  ERR_EMPTY_RESPONSE: 'connection-reset',
  ERR_NAME_NOT_RESOLVED: 'dns',
  ERR_NAME_RESOLUTION_FAILED: 'dns',
  ERR_CONNECTION_TIMED_OUT: 'timeout',
  ERR_TIMED_OUT: 'timeout',
  ERR_SSL_PROTOCOL_ERROR: 'tls',
  ERR_CERT_COMMON_NAME_INVALID: 'tls',
  ERR_CERT_DATE_INVALID: 'tls',
  ERR_CERT_AUTHORITY_INVALID: 'tls',
  ERR_ABORTED: 'aborted'
}

export const platform = {
  browser: 'chrome',
  rendersInSandboxPage: true,
  classifyNavigationError (error) {
    return NET_ERRORS[error.replace(/^net::/, '')] ?? 'other'
  }
} as const satisfies Platform
