// The background: a service worker on Chrome, an event page on Firefox. Every listener is
// registered synchronously at top level so a stopped worker is woken by the events it needs.
import browser from 'webextension-polyfill'
import { platform } from '@platform'
import { isEnvelope, type MessageHandlers } from '../lib/messages'
import { pickPointerHeaders } from '../protocol/pointer-headers'
import { forgetTab, pointersFor, recordFailure, rememberPointers, tabFailure } from './navigation-log'

const WEB_URL = /^https?:/

// Both browsers send `error`; the polyfill's types leave it out.
type NavigationErrorDetails = browser.WebNavigation.OnErrorOccurredDetailsType & { error: string }

browser.webNavigation.onErrorOccurred.addListener((event) => {
  const details = event as NavigationErrorDetails
  if (details.frameId !== 0 || !WEB_URL.test(details.url)) return
  const kind = platform.classifyNavigationError(details.error)
  // An aborted navigation is the user's doing (stop button, a new URL typed), not an outage.
  if (kind === 'aborted') return
  void recordFailure(details.tabId, { url: details.url, kind, error: details.error, at: details.timeStamp })
})

browser.webRequest.onHeadersReceived.addListener((details) => {
  if (details.tabId < 0 || details.statusCode >= 400) return
  const headers = pickPointerHeaders(details.responseHeaders ?? [])
  if (headers === null) return
  void rememberPointers({
    url: details.url,
    headers,
    secure: details.url.startsWith('https:'),
    seenAt: details.timeStamp
  })
}, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] }, ['responseHeaders'])

browser.tabs.onRemoved.addListener((tabId) => { void forgetTab(tabId) })

const handlers = {
  tabFailure: async ({ tabId }) => await tabFailure(tabId),
  pointers: async ({ url }) => await pointersFor(url)
} satisfies MessageHandlers

const messageNames = Object.keys(handlers)

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Only the extension's own pages may ask; content in sandboxed frames has no runtime API anyway.
  if (sender.id !== browser.runtime.id || !isEnvelope(message, messageNames)) return undefined
  const handler = handlers[message.name] as (request: unknown) => Promise<unknown>
  return handler(message.request)
})
