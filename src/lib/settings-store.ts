// Where settings live: storage.sync (follows the user), storage.local where sync is off. Every
// context reads and writes them through here.
import browser from 'webextension-polyfill'
import { t } from './i18n'
import { migrateSettings, normalizePatch, settingsProblem, type SettingProblem, type Settings } from './settings'

const KEY = 'settings'

/** The area in use and what it holds: storage.sync, or storage.local where sync is unavailable. */
async function read (): Promise<{ storage: browser.Storage.StorageArea, stored: unknown }> {
  try {
    return { storage: browser.storage.sync, stored: (await browser.storage.sync.get(KEY))[KEY] }
  } catch {
    return { storage: browser.storage.local, stored: (await browser.storage.local.get(KEY))[KEY] } // sync disabled by policy, or unavailable
  }
}

// Read once per context and kept until they change: a failover reads them on its critical path.
let current: Promise<Settings> | null = null
let watching = false

export async function loadSettings (): Promise<Settings> {
  if (!watching) {
    watching = true
    browser.storage.onChanged.addListener((changes, areaName) => {
      if (KEY in changes && (areaName === 'sync' || areaName === 'local')) current = null
    })
  }
  current ??= read().then(({ stored }) => migrateSettings(stored))
  current.catch(() => { current = null })
  return { ...await current }
}

/** `field`: the setting refused, or null when the browser would not store the settings (a full sync quota). */
export type SaveResult = { ok: true, settings: Settings } | { ok: false, field: keyof Settings | null, problem: SettingProblem | null, message: string }

// Saves run one after another (every page saves through the background): each reads what the
// last one wrote, so two saves never overwrite each other with what they read before.
let saving: Promise<unknown> = Promise.resolve()

/** `changes`: the fields to set, or a function of the settings as they are when this save runs. */
export async function saveSettings (changes: Partial<Settings> | ((now: Settings) => Partial<Settings>)): Promise<SaveResult> {
  const save = async (): Promise<SaveResult> => {
    const { storage, stored } = await read()
    const now = migrateSettings(stored)
    const patch = normalizePatch(typeof changes === 'function' ? changes(now) : changes)
    const refused = settingsProblem(patch)
    if (refused !== null) return { ok: false, ...refused, message: t(refused.problem) }
    const settings = migrateSettings({ ...now, ...patch })
    try {
      await storage.set({ [KEY]: settings })
    } catch (error) {
      // storage.sync holds at most 8 KiB per item: a very long list of sites can pass it.
      return { ok: false, field: null, problem: null, message: t('settingsNotStored', error instanceof Error ? error.message : String(error)) }
    }
    current = Promise.resolve(settings)
    return { ok: true, settings }
  }
  const result = saving.then(save, save)
  saving = result.catch(() => undefined)
  return await result
}

/** Calls back with the new settings whenever they change, from any context. */
export function watchSettings (changed: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, areaName) => {
    if (!(KEY in changes) || (areaName !== 'sync' && areaName !== 'local')) return
    current = null // whichever listener runs first, none reads the old settings
    void loadSettings().then(changed)
  })
}
