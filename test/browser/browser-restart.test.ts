/// <reference types="chrome" />
// The pointer cache and the settings outlive the browser: pointers seen before a restart find the
// torrent after it, with the origin already down, and a setting saved before is still set.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, startOrigin, type Origin } from '../world/index.ts'

let origin: Origin
let profileDir: string

beforeAll(async () => {
  origin = await startOrigin({ root: resolve('test/fixtures/site'), headers: { 'X-Torrent': 'magnet:?xt=urn:btih:6666666666666666666666666666666666666666' } })
  profileDir = await mkdtemp(join(tmpdir(), 'peerback-profile-'))
})
afterAll(async () => {
  await origin?.stop()
  if (profileDir !== undefined) await rm(profileDir, { recursive: true, force: true })
})

test('Chromium: pointers cached and settings saved before a browser restart are there after it; the first-run page opens on the first launch only', async () => {
  const url = `http://site.test:${origin.port}/`
  const before = await launchChromium({ profileDir })
  const page = await before.context.newPage()
  await page.goto(url)
  const extensionPage = await before.context.newPage()
  await extensionPage.goto(`${before.extensionOrigin}/src/popup/popup.html`)
  const firstRun = async (page: typeof extensionPage): Promise<unknown> => await page.evaluate(async () => (await chrome.storage.session.get('first-run'))['first-run'] ?? null)
  await expect.poll(async () => await firstRun(extensionPage)).toBe('shown')
  expect(before.context.pages().some((tab) => tab.url().endsWith('/src/welcome/welcome.html'))).toBe(true)
  await expect.poll(async () => await extensionPage.evaluate(async (url) => await chrome.runtime.sendMessage({ to: 'background', name: 'cachedPointers', request: { url } }), url)).not.toBeNull()
  // A setting changed on the options page, as a user would.
  const options = await before.context.newPage()
  await options.goto(`${before.extensionOrigin}/src/options/options.html`)
  await options.getByLabel('Seeding ratio target').fill('3.5')
  await options.getByLabel('Share what I read with other readers').uncheck()
  await options.getByRole('button', { name: 'Save' }).click()
  await expect.poll(async () => await options.textContent('#saved')).toBe('Saved.')
  await before.close()
  await origin.setMode('down')

  const after = await launchChromium({ profileDir })
  try {
    const again = await after.context.newPage()
    await again.goto(`${after.extensionOrigin}/src/popup/popup.html`)
    // Chromium reports this launch as an install too (the extension is on its command line).
    await expect.poll(async () => await firstRun(again)).toBe('not shown')
    expect(after.context.pages().some((tab) => tab.url().endsWith('/src/welcome/welcome.html'))).toBe(false)
    const discovery = await again.evaluate(async (url) => await chrome.runtime.sendMessage({ to: 'background', name: 'findTorrent', request: { url } }), url)
    expect(discovery.torrent).toMatchObject({ source: 'cache', pointer: { kind: 'magnet', magnet: { infoHash: '6'.repeat(40) } } })
    const settings = await again.evaluate(async () => await chrome.runtime.sendMessage({ to: 'background', name: 'settings', request: {} }))
    expect(settings).toMatchObject({ ratioTarget: 3.5, shareWhileReading: false })
    await again.goto(`${after.extensionOrigin}/src/options/options.html`)
    await expect.poll(async () => await again.getByLabel('Seeding ratio target').inputValue()).toBe('3.5')
  } finally {
    await after.close()
  }
})
