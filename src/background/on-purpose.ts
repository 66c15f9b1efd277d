// Opening a copy on purpose, when the page did not fail (it is up but wrong, or deleted): from the
// popup, from a link's context menu (in a new tab beside it), and with the keyboard shortcut
// (manifest `commands`). The viewer then finds the copy as after a failure: the pointers this
// browser remembers for the page, else its DNS records; it says so when there is none.
import browser from 'webextension-polyfill'
import { t } from '../lib/i18n'
import { viewerUrl } from '../lib/viewer-url'
import { withoutFragment } from '../protocol/format'

const MENU_ITEM = 'open-copy'
const COMMAND = 'open-copy'
const WEB = /^https?:/

/** Sends a tab (or a new tab beside it) to the viewer for `url`. */
export async function openCopy (tabId: number, url: string, newTab = false): Promise<boolean> {
  if (!WEB.test(url)) return false
  const viewer = viewerUrl(browser.runtime.getURL(''), withoutFragment(url))
  if (!newTab) {
    await browser.tabs.update(tabId, { url: viewer })
    return true
  }
  const opener = await browser.tabs.get(tabId)
  await browser.tabs.create({ url: viewer, index: opener.index + 1, openerTabId: tabId, windowId: opener.windowId })
  return true
}

/** The link menu item (menus are kept by the browser: made again at install and start-up). */
export async function createMenu (): Promise<void> {
  await browser.contextMenus.removeAll()
  browser.contextMenus.create({ id: MENU_ITEM, title: t('menuOpenCopy'), contexts: ['link'], targetUrlPatterns: ['http://*/*', 'https://*/*'] })
}

/**
 * `pageOf`: the page a tab is about (the failed page while the tab shows its viewer). Registered at
 * top level, as every background listener.
 */
export function listenOnPurpose (pageOf: (tabId: number, tabUrl: string | undefined) => Promise<string | undefined>, warn: (message: string) => void): void {
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ITEM || info.linkUrl === undefined || tab?.id === undefined) return
    openCopy(tab.id, info.linkUrl, true).catch((error: unknown) => { warn(`could not open the copy of ${info.linkUrl}: ${String(error)}`) })
  })
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== COMMAND || tab?.id === undefined) return
    const tabId = tab.id
    pageOf(tabId, tab.url).then(async (page) => { if (page !== undefined) await openCopy(tabId, page) })
      .catch((error: unknown) => { warn(`could not open the copy in tab ${tabId}: ${String(error)}`) })
  })
}
