// The extension loads in Firefox as a temporary add-on, and its event page sees a page whose
// server refuses connections and a healthy page that points to a torrent.
import { resolve } from 'node:path'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { MessageName, Messages } from '../../src/lib/messages.ts'
import { launchFirefox, startOrigin, type FirefoxWithExtension, type Origin } from '../world/index.ts'

declare const browser: { runtime: { sendMessage: (message: unknown) => Promise<unknown> } }

let firefox: FirefoxWithExtension
let origin: Origin

beforeAll(async () => {
  origin = await startOrigin({ root: resolve('test/fixtures/site') })
  firefox = await launchFirefox({ hosts: ['site.test'] })
})

afterAll(async () => {
  await firefox?.close()
  await origin?.stop()
})

/** Asks the background through the extension's own message protocol, from an extension page. */
async function askBackground<K extends MessageName> (name: K, request: Messages[K]['request']): Promise<Messages[K]['response']> {
  const page = await firefox.openExtensionPage('src/popup/popup.html')
  try {
    return await page.evaluate(async (name, request) =>
      await browser.runtime.sendMessage({ name, request }), name, request) as Messages[K]['response']
  } finally {
    await page.close()
  }
}

/** The id of the tab that shows `url`, as the extension sees it. */
async function tabIdOf (url: string): Promise<number> {
  const page = await firefox.openExtensionPage('src/popup/popup.html')
  try {
    const id = await page.evaluate(async (url) => {
      const tabs = await (globalThis as unknown as { browser: { tabs: { query: (q: object) => Promise<Array<{ id: number, url: string }>> } } }).browser.tabs.query({})
      return tabs.find((tab) => tab.url === url)?.id ?? null
    }, url)
    if (id === null) throw new Error(`no tab shows ${url}`)
    return id
  } finally {
    await page.close()
  }
}

async function openPage (url: string): Promise<Page> {
  const page = await firefox.browser.newPage()
  await page.goto(url)
  return page
}

test('the background records a custom pointer header on a healthy navigation', async () => {
  origin.setHeaders({ 'X-Torrent': 'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056' })
  const url = `http://site.test:${origin.port}/`
  const page = await openPage(url)
  expect(await page.$eval('#greeting', (element) => element.textContent)).toBe('Hello from the origin.')

  await expect.poll(async () => await askBackground('pointers', { url })).toMatchObject({
    url,
    secure: false,
    headers: { 'x-torrent': ['magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056'] }
  })
  await page.close()
})

test('the background records a main-frame connection refused', async () => {
  const url = `http://site.test:${origin.port}/about/`
  const page = await openPage(url)
  const tabId = await tabIdOf(url)
  expect(await askBackground('tabFailure', { tabId })).toBeNull()

  await origin.setMode('down')
  // Firefox reports the failure as an error code (NS_ERROR_CONNECTION_REFUSED).
  await expect(page.reload()).rejects.toThrow()
  await expect.poll(async () => await askBackground('tabFailure', { tabId })).toMatchObject({
    url,
    kind: 'connection-refused'
  })
  await page.close()
  await origin.setMode('up')
})
