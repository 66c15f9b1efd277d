// The last main-frame failure of each tab, kept in storage.session so a stopped and restarted
// service worker forgets nothing.
import type { NavigationFailure } from '../lib/records'
import type { StorageArea } from './ports'

const failureKey = (tabId: number): string => `failure:${tabId}`

export type NavigationLog = ReturnType<typeof navigationLog>

export function navigationLog (session: StorageArea) {
  return {
    async record (tabId: number, failure: NavigationFailure): Promise<void> {
      await session.set({ [failureKey(tabId)]: failure })
    },
    async failure (tabId: number): Promise<NavigationFailure | null> {
      const key = failureKey(tabId)
      return ((await session.get([key]))[key] as NavigationFailure | undefined) ?? null
    },
    async forget (tabId: number): Promise<void> {
      await session.remove([failureKey(tabId)])
    }
  }
}
