// What the background learns from watching main-frame navigations, kept in storage.session so a
// stopped and restarted service worker forgets nothing.
import browser from 'webextension-polyfill'
import type { NavigationFailure, PointerRecord } from '../lib/records'

const failureKey = (tabId: number): string => `failure:${tabId}`
const pointerKey = (url: string): string => `pointers:${withoutFragment(url)}`

function withoutFragment (url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

async function read<T> (key: string): Promise<T | null> {
  const stored = await browser.storage.session.get(key)
  return (stored[key] as T | undefined) ?? null
}

export async function recordFailure (tabId: number, failure: NavigationFailure): Promise<void> {
  await browser.storage.session.set({ [failureKey(tabId)]: failure })
}

export async function tabFailure (tabId: number): Promise<NavigationFailure | null> {
  return await read<NavigationFailure>(failureKey(tabId))
}

export async function forgetTab (tabId: number): Promise<void> {
  await browser.storage.session.remove(failureKey(tabId))
}

export async function rememberPointers (record: PointerRecord): Promise<void> {
  await browser.storage.session.set({ [pointerKey(record.url)]: record })
}

export async function pointersFor (url: string): Promise<PointerRecord | null> {
  return await read<PointerRecord>(pointerKey(url))
}
