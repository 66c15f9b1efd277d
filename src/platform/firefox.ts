import type Browser from 'webextension-polyfill'
import type { FailureKind } from '../lib/records'
import { srcdocRenderer } from '../render/renderer'
import { PREFETCH_PAGE, type Platform } from './types'

// Firefox's own `browser`, read at call time: unit tests load this module outside any extension.
const firefox = (): Browser.Browser => (globalThis as unknown as { browser: Browser.Browser }).browser

// Firefox has no offscreen documents, but its background is a page: the host is a frame in it.
const HOST_ID = 'peerback-prefetch-host'
/** Well under the event page's idle time (extensions.background.idle.timeout, 30 s). */
const AWAKE_EVERY_MS = 5000

// Firefox reports webNavigation errors as `Error code 2152398861` (an nsresult), and webRequest
// errors as `NS_ERROR_CONNECTION_REFUSED`; both forms are mapped.
const NS_ERRORS: Record<string, FailureKind> = {
  NS_ERROR_CONNECTION_REFUSED: 'connection-refused',
  NS_ERROR_NET_RESET: 'connection-reset',
  NS_ERROR_NET_INTERRUPT: 'connection-reset',
  NS_ERROR_UNKNOWN_HOST: 'dns',
  NS_ERROR_NET_TIMEOUT: 'timeout',
  SSL_ERROR_NO_CYPHER_OVERLAP: 'tls',
  SEC_ERROR_UNKNOWN_ISSUER: 'tls',
  NS_BINDING_ABORTED: 'aborted'
}

const NS_CODES: Record<number, string> = {
  0x804b000d: 'NS_ERROR_CONNECTION_REFUSED',
  0x804b0014: 'NS_ERROR_NET_RESET',
  0x804b0047: 'NS_ERROR_NET_INTERRUPT',
  0x804b001e: 'NS_ERROR_UNKNOWN_HOST',
  0x804b000e: 'NS_ERROR_NET_TIMEOUT',
  0x804b0002: 'NS_BINDING_ABORTED'
}

export const platform = {
  browser: 'firefox',
  viewerTakesFailedEntry: true,
  async showViewer (tabId, viewerUrl) {
    await firefox().tabs.update(tabId, { url: viewerUrl, loadReplace: true })
  },
  onRequestError () {},
  createRenderer (container, title, _after, events) {
    return srcdocRenderer(container, title, events)
  },
  classifyNavigationError (error) {
    const code = /^Error code (\d+)$/.exec(error)
    const name = code ? NS_CODES[Number(code[1])] : error
    return (name !== undefined && NS_ERRORS[name]) || 'other'
  },
  async openPrefetchHost () {
    const open = document.getElementById(HOST_ID)
    if (open !== null) {
      await (open as HTMLIFrameElement & { ready: Promise<void> }).ready
      return
    }
    const frame = Object.assign(document.createElement('iframe'), { id: HOST_ID, src: `/${PREFETCH_PAGE}` })
    const ready = new Promise<void>((resolve) => { frame.addEventListener('load', () => { resolve() }, { once: true }) })
    Object.assign(frame, { ready })
    document.body.append(frame)
    await ready
  },
  closePrefetchHost () {
    document.getElementById(HOST_ID)?.remove()
    return Promise.resolve()
  },
  keepHostAwake () {
    // Loaded here, in the host: unit tests load this module outside any extension.
    const messages = import('../lib/messages')
    const timer = setInterval(() => { messages.then(async ({ send }) => await send('background', 'hostAwake', {})).catch(() => {}) }, AWAKE_EVERY_MS)
    return () => { clearInterval(timer) }
  }
} as const satisfies Platform
