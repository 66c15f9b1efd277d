// The toolbar popup: what Peerback knows about the current tab.
import browser from 'webextension-polyfill'
import { sendMessage } from '../lib/messages'
import { describeTab } from './describe-tab'

const status = document.getElementById('status') as HTMLElement

async function show (): Promise<void> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true })
  if (tab?.id === undefined || tab.url === undefined) {
    status.textContent = 'Peerback has nothing to say about this tab.'
    return
  }
  const [failure, pointers] = await Promise.all([
    sendMessage('tabFailure', { tabId: tab.id }),
    sendMessage('cachedPointers', { url: tab.url })
  ])
  status.textContent = describeTab(failure, pointers)
}

show().catch((error: unknown) => {
  status.textContent = `Peerback could not read this tab's state: ${String(error)}`
})
