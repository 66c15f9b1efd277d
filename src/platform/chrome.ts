import type { FailureKind } from '../lib/records'
import { sandboxRenderer } from '../render/renderer'
import { PREFETCH_PAGE, type Platform, type RequestErrorDetails } from './types'

const SANDBOX_PAGE = 'src/sandbox/sandbox.html'

// Read at call time: unit tests load this module outside any extension.
interface ChromeApi {
  runtime: { getContexts: (filter: { contextTypes: string[] }) => Promise<unknown[]>, getURL: (path: string) => string }
  tabs: { update: (tabId: number, properties: { url: string }) => Promise<unknown> }
  webRequest: { onErrorOccurred: { addListener: (listener: (details: RequestErrorDetails) => void, filter: { urls: string[], types: string[] }) => void } }
  offscreen: {
    createDocument: (options: { url: string, reasons: string[], justification: string }) => Promise<void>
    closeDocument: () => Promise<void>
  }
}
const chromeApi = (): ChromeApi => (globalThis as unknown as { chrome: ChromeApi }).chrome
const hostOpen = async (): Promise<boolean> =>
  (await chromeApi().runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length > 0
let opening: Promise<void> | null = null

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
  viewerTakesFailedEntry: false,
  async showViewer (tabId, viewerUrl) {
    await chromeApi().tabs.update(tabId, { url: viewerUrl })
  },
  onRequestError (listener) {
    chromeApi().webRequest.onErrorOccurred.addListener(listener, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] })
  },
  createRenderer (container, title, after, events) {
    return sandboxRenderer(container, title, chromeApi().runtime.getURL(SANDBOX_PAGE), after, events)
  },
  classifyNavigationError (error) {
    return NET_ERRORS[error.replace(/^net::/, '')] ?? 'other'
  },
  async openPrefetchHost () {
    if (await hostOpen()) return
    // Two slow tabs at once must not both create it: Chrome allows one offscreen document.
    opening ??= chromeApi().offscreen.createDocument({
      url: PREFETCH_PAGE,
      reasons: ['WEB_RTC'],
      justification: 'Fetches the copy of a page that is slow to answer from other readers over WebRTC, and shares the pages the reader chose to keep sharing.'
    }).finally(() => { opening = null })
    await opening
  },
  async closePrefetchHost () {
    if (await hostOpen()) await chromeApi().offscreen.closeDocument()
  },
  keepHostAwake: () => () => {}
} as const satisfies Platform
