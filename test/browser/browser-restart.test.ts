/// <reference types="chrome" />
// The pointer cache outlives the browser: pointers seen before a restart find the torrent after it,
// with the origin already down.
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

test('Chromium: pointers cached before a browser restart are found after it', async () => {
  const url = `http://site.test:${origin.port}/`
  const before = await launchChromium({ profileDir })
  const page = await before.context.newPage()
  await page.goto(url)
  const extensionPage = await before.context.newPage()
  await extensionPage.goto(`${before.extensionOrigin}/src/popup/popup.html`)
  await expect.poll(async () => await extensionPage.evaluate(async (url) => await chrome.runtime.sendMessage({ name: 'cachedPointers', request: { url } }), url)).not.toBeNull()
  await before.close()
  await origin.setMode('down')

  const after = await launchChromium({ profileDir })
  try {
    const again = await after.context.newPage()
    await again.goto(`${after.extensionOrigin}/src/popup/popup.html`)
    const discovery = await again.evaluate(async (url) => await chrome.runtime.sendMessage({ name: 'findTorrent', request: { url } }), url)
    expect(discovery.torrent).toMatchObject({ source: 'cache', pointer: { kind: 'magnet', magnet: { infoHash: '6'.repeat(40) } } })
  } finally {
    await after.close()
  }
})
