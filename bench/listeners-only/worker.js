// What Chrome costs a page load for the events Peerback needs, before Peerback does anything.
const pages = { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] }
chrome.webRequest.onSendHeaders.addListener(() => {}, pages, ['requestHeaders'])
chrome.webRequest.onHeadersReceived.addListener(() => {}, pages, ['responseHeaders'])
chrome.webRequest.onErrorOccurred.addListener(() => {}, pages)
chrome.webNavigation.onBeforeNavigate.addListener(() => {})
chrome.webNavigation.onCommitted.addListener(() => {})
chrome.webNavigation.onErrorOccurred.addListener(() => {})
