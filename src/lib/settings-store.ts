// Where settings live: storage.sync (follows the user), storage.local where sync is off. Every
// context reads and writes them through here.
import browser from 'webextension-polyfill'
import { migrateSettings, settingsProblem, type Settings } from './settings'

const KEY = 'settings'

async function area (): Promise<browser.Storage.StorageArea> {
  try {
    await browser.storage.sync.get(KEY)
    return browser.storage.sync
  } catch {
    return browser.storage.local // sync disabled by policy, or unavailable
  }
}

export async function loadSettings (): Promise<Settings> {
  const storage = await area()
  return migrateSettings((await storage.get(KEY))[KEY])
}

export async function saveSettings (patch: Partial<Settings>): Promise<{ ok: true, settings: Settings } | { ok: false, message: string }> {
  const problem = settingsProblem(patch)
  if (problem !== null) return { ok: false, message: problem }
  const storage = await area()
  const settings = migrateSettings({ ...migrateSettings((await storage.get(KEY))[KEY]), ...patch })
  await storage.set({ [KEY]: settings })
  return { ok: true, settings }
}
