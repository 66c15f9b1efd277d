// Where settings live: storage.sync (follows the user), storage.local where sync is off. Every
// context reads and writes them through here.
import browser from 'webextension-polyfill'
import { t } from './i18n'
import { migrateSettings, settingsProblem, type SettingProblem, type Settings } from './settings'

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

export type SaveResult = { ok: true, settings: Settings } | { ok: false, field: keyof Settings, problem: SettingProblem, message: string }

export async function saveSettings (patch: Partial<Settings>): Promise<SaveResult> {
  const refused = settingsProblem(patch)
  if (refused !== null) return { ok: false, ...refused, message: t(refused.problem) }
  const storage = await area()
  const settings = migrateSettings({ ...migrateSettings((await storage.get(KEY))[KEY]), ...patch })
  await storage.set({ [KEY]: settings })
  return { ok: true, settings }
}

/** Calls back with the new settings whenever they change, from any context. */
export function watchSettings (changed: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, areaName) => {
    if (KEY in changes && (areaName === 'sync' || areaName === 'local')) void loadSettings().then(changed)
  })
}
