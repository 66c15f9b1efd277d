// The last main-frame failure of each tab, kept in storage.session so a stopped and restarted
// service worker forgets nothing.
import browser from 'webextension-polyfill'
import type { NavigationFailure } from '../lib/records'

const failureKey = (tabId: number): string => `failure:${tabId}`

export async function recordFailure (tabId: number, failure: NavigationFailure): Promise<void> {
  await browser.storage.session.set({ [failureKey(tabId)]: failure })
}

export async function tabFailure (tabId: number): Promise<NavigationFailure | null> {
  const key = failureKey(tabId)
  return ((await browser.storage.session.get(key))[key] as NavigationFailure | undefined) ?? null
}

export async function forgetTab (tabId: number): Promise<void> {
  await browser.storage.session.remove(failureKey(tabId))
}
