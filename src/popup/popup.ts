// The toolbar popup: what Peerback knows and does about the current tab.
import browser from 'webextension-polyfill'
import { sendMessage } from '../lib/messages'
import { viewerUrl } from '../lib/viewer-url'
import { describeTab } from './describe-tab'

const status = document.getElementById('status') as HTMLElement
const openCopy = document.getElementById('open-copy') as HTMLButtonElement

async function show (): Promise<void> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true })
  if (tab?.id === undefined || tab.url === undefined) {
    status.textContent = 'Peerback has nothing to say about this tab.'
    return
  }
  const tabId = tab.id
  const [state, failure, pointers] = await Promise.all([
    sendMessage('tabState', { tabId }),
    sendMessage('tabFailure', { tabId }),
    sendMessage('cachedPointers', { url: tab.url })
  ])
  status.textContent = describeTab(state, failure, pointers)
  if (state?.phase === 'offered') {
    openCopy.hidden = false
    openCopy.addEventListener('click', () => {
      void browser.tabs.update(tabId, { url: viewerUrl(browser.runtime.getURL(''), state.url) }).then(() => { window.close() })
    })
  }
}

show().catch((error: unknown) => {
  status.textContent = `Peerback could not read this tab's state: ${String(error)}`
})
