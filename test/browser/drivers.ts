// One way to drive the extension in either browser, so each browser test body runs in both.
/// <reference types="chrome" />
import type { Page as PlaywrightPage } from 'playwright-core'
import type { Page as PuppeteerPage } from 'puppeteer-core'
import type { MessageName, Messages } from '../../src/lib/messages.ts'
import { launchChromium, launchFirefox, type ChromiumWithExtension } from '../world/index.ts'

export type BrowserName = 'chromium' | 'firefox'

export interface Tab {
  /** The extension's id for this tab (learned while it shows a web page). */
  readonly id: number
  goto: (url: string) => Promise<void>
  reload: () => Promise<void>
  text: (selector: string) => Promise<string | null>
  close: () => Promise<void>
}

export interface Driver {
  readonly name: BrowserName
  /** Asks the background through the extension's own message protocol, from an extension page. */
  ask: <K extends MessageName>(name: K, request: Messages[K]['request']) => Promise<Messages[K]['response']>
  /** Opens a web page in a new tab; rejects when the navigation fails. */
  open: (url: string) => Promise<Tab>
  close: () => Promise<void>
  /** Chromium only: the launched browser, for what only Chromium can do (stopping the worker). */
  readonly chromium?: ChromiumWithExtension
}

export async function launch (name: BrowserName, hosts: string[] = ['site.test']): Promise<Driver> {
  const driver = name === 'chromium' ? await chromiumDriver() : await firefoxDriver(hosts)
  // A background that died while loading never answers: say so instead of waiting for the test timeout.
  const ask = driver.ask
  return {
    ...driver,
    ask: async (message, request) => await Promise.race([
      ask(message, request),
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`the ${name} background did not answer "${message}" within 15 s`)), 15_000))
    ])
  }
}

async function chromiumDriver (): Promise<Driver> {
  const chromium = await launchChromium()
  const extensionPage = await chromium.context.newPage()
  await extensionPage.goto(`${chromium.extensionOrigin}/src/popup/popup.html`)
  const ask: Driver['ask'] = async (name, request) =>
    await extensionPage.evaluate(async ([name, request]) => await chrome.runtime.sendMessage({ name, request }), [name, request] as const)
  const tabIdOf = async (url: string): Promise<number> => {
    const id = await extensionPage.evaluate(async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url)?.id, url)
    if (id === undefined) throw new Error(`no tab shows ${url}`)
    return id
  }
  return {
    name: 'chromium',
    chromium,
    ask,
    async open (url) {
      const page = await chromium.context.newPage()
      await page.goto(url)
      return playwrightTab(page, await tabIdOf(url))
    },
    close: async () => { await chromium.close() }
  }
}

function playwrightTab (page: PlaywrightPage, id: number): Tab {
  return {
    id,
    goto: async (url) => { await page.goto(url) },
    reload: async () => { await page.reload() },
    text: async (selector) => await page.textContent(selector),
    async close () {
      // After failed loads, closing can hang unless the tab leaves the error page first.
      await page.goto('about:blank').catch(() => {})
      await page.close()
    }
  }
}

declare const browser: { runtime: { sendMessage: (message: unknown) => Promise<unknown> }, tabs: { query: (query: object) => Promise<Array<{ id: number, url: string }>> } }

async function firefoxDriver (hosts: string[]): Promise<Driver> {
  const firefox = await launchFirefox({ hosts })
  const extensionPage = await firefox.openExtensionPage('src/popup/popup.html')
  const ask: Driver['ask'] = async (name, request) =>
    await extensionPage.evaluate(async (name, request) => await browser.runtime.sendMessage({ name, request }), name, request) as never
  const tabIdOf = async (url: string): Promise<number> => {
    const id = await extensionPage.evaluate(async (url) => (await browser.tabs.query({})).find((tab) => tab.url === url)?.id ?? null, url)
    if (id === null) throw new Error(`no tab shows ${url}`)
    return id
  }
  return {
    name: 'firefox',
    ask,
    async open (url) {
      const page = await firefox.browser.newPage()
      await page.goto(url)
      return puppeteerTab(page, await tabIdOf(url))
    },
    close: async () => { await firefox.close() }
  }
}

function puppeteerTab (page: PuppeteerPage, id: number): Tab {
  return {
    id,
    goto: async (url) => { await page.goto(url) },
    reload: async () => { await page.reload() },
    text: async (selector) => await page.$eval(selector, (element) => element.textContent),
    close: async () => { await page.close() }
  }
}
