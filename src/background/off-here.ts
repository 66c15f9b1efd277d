// The toolbar button says when Peerback does nothing in a tab: a greyed icon, and a tooltip that
// says why (the reader turned it off for the site, or paused it everywhere). Set when a page
// commits (Firefox resets a tab's own icon on navigation; Chrome keeps it) and for every tab when
// the settings change. Which tabs are grey is kept in storage.session, so a restarted worker
// still knows which ones to restore.
import browser from 'webextension-polyfill'
import { t } from '../lib/i18n'
import type { Settings } from '../lib/settings'
import { greyPixels, offReason } from '../lib/off-reason'
import type { StorageArea } from './ports'

const KEY = 'grey-tabs'
const ICON_SIZES = [16, 32] as const

let greyIcons: Promise<Record<string, browser.Action.ImageDataType>> | null = null

/** The toolbar icon, greyed (drawn once per background instance). */
async function greyIcon (): Promise<Record<string, browser.Action.ImageDataType>> {
  greyIcons ??= Promise.all(ICON_SIZES.map(async (size) => {
    const bitmap = await createImageBitmap(await (await fetch(browser.runtime.getURL(`icons/icon-${size}.png`))).blob())
    const context = new OffscreenCanvas(size, size).getContext('2d')
    if (context === null) throw new Error('no 2D canvas')
    context.drawImage(bitmap, 0, 0, size, size)
    const image = context.getImageData(0, 0, size, size)
    greyPixels(image.data)
    return [String(size), image as browser.Action.ImageDataType] as const
  })).then(Object.fromEntries)
  return await greyIcons
}

export function offHere (session: StorageArea) {
  async function greyTabs (): Promise<number[]> {
    return ((await session.get([KEY]))[KEY] as number[] | undefined) ?? []
  }

  /** Greys or restores the button of the tab now showing `url`. */
  async function show (tabId: number, url: string | undefined, settings: Settings): Promise<void> {
    const reason = offReason(url, settings)
    const grey = await greyTabs()
    if (reason === null && !grey.includes(tabId)) return
    // A tab that closed meanwhile (its last commit was about:blank on the way out) has no button to set.
    const gone = (): void => {}
    if (reason === null) {
      await Promise.all([
        browser.action.setIcon({ tabId, path: Object.fromEntries(ICON_SIZES.map((size) => [size, `/icons/icon-${size}.png`])) }),
        browser.action.setTitle({ tabId, title: t('extName') })
      ]).catch(gone)
      await session.set({ [KEY]: grey.filter((id) => id !== tabId) })
      return
    }
    const why = reason === 'paused' ? t('titlePaused') : t('titleSiteOff', new URL(url ?? '').hostname)
    await Promise.all([
      browser.action.setIcon({ tabId, imageData: await greyIcon() }),
      browser.action.setTitle({ tabId, title: `${t('extName')}: ${why}` })
    ]).catch(gone)
    if (!grey.includes(tabId)) await session.set({ [KEY]: [...grey, tabId] })
  }

  return {
    show,
    /** The settings changed: every open tab's button follows. */
    async showAll (settings: Settings): Promise<void> {
      for (const tab of await browser.tabs.query({})) {
        if (tab.id !== undefined) await show(tab.id, tab.url, settings)
      }
    },
    async forget (tabId: number): Promise<void> {
      const grey = await greyTabs()
      if (grey.includes(tabId)) await session.set({ [KEY]: grey.filter((id) => id !== tabId) })
    }
  }
}
