/// <reference types="chrome" />
// The extension loads in Chromium, and its background sees what a user's browsing does: a page
// whose server refuses connections, and a healthy page that points to a torrent.
import { resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, startOrigin, type ChromiumWithExtension, type Origin } from '../world/index.ts'
import type { MessageName, Messages } from '../../src/lib/messages.ts'

let chromium: ChromiumWithExtension
let origin: Origin

beforeAll(async () => {
  origin = await startOrigin({ root: resolve('test/fixtures/site') })
  chromium = await launchChromium()
})

afterAll(async () => {
  await chromium?.close()
  await origin?.stop()
})

/** Asks the background through the extension's own message protocol, from an extension page. */
async function askBackground<K extends MessageName> (name: K, request: Messages[K]['request']): Promise<Messages[K]['response']> {
  const page = await chromium.context.newPage()
  try {
    await page.goto(`${chromium.extensionOrigin}/src/popup/popup.html`)
    return await page.evaluate(async ([name, request]) =>
      await chrome.runtime.sendMessage({ name, request }), [name, request] as const) as Messages[K]['response']
  } finally {
    await page.close()
  }
}

/** The id of the tab that shows `url`, as the extension sees it (the page must be on a web URL). */
async function tabIdOf (url: string): Promise<number> {
  const worker = await chromium.serviceWorker()
  const id = await worker.evaluate(async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url)?.id, url)
  if (id === undefined) throw new Error(`no tab shows ${url}`)
  return id
}

test('the background records a custom pointer header on a healthy navigation', async () => {
  origin.setHeaders({ 'X-Torrent': '/site.torrent', 'Link': '</site.torrent>; rel="describedby"; type="application/x-bittorrent"' })
  const page = await chromium.context.newPage()
  const url = `http://site.test:${origin.port}/`
  await page.goto(url)
  expect(await page.textContent('#greeting')).toBe('Hello from the origin.')

  await expect.poll(async () => await askBackground('pointers', { url })).toMatchObject({
    url,
    secure: false,
    headers: {
      'x-torrent': ['/site.torrent'],
      link: ['</site.torrent>; rel="describedby"; type="application/x-bittorrent"']
    }
  })
  await page.close()
})

test('the background records a main-frame connection refused', async () => {
  const page = await chromium.context.newPage()
  const url = `http://site.test:${origin.port}/about/`
  await page.goto(url)
  const tabId = await tabIdOf(url)
  expect(await askBackground('tabFailure', { tabId })).toBeNull()

  await origin.setMode('down')
  await expect(page.reload()).rejects.toThrow(/ERR_CONNECTION_REFUSED/)
  await expect.poll(async () => await askBackground('tabFailure', { tabId })).toMatchObject({
    url,
    kind: 'connection-refused',
    error: 'net::ERR_CONNECTION_REFUSED'
  })
  await page.goto('about:blank')
  await page.close()
  await origin.setMode('up')
})
