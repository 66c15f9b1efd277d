// A hostile copy cannot reach past the sandbox (Chromium and Firefox); a site torrent found through
// the DNS site record serves every page, and links inside the copy move between them (Chromium).
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')
const drivers = new Map<BrowserName, Driver>()
let doh: DohEndpoint
let tracker: Tracker
let site: Seeder
let hostile: Seeder
let closed: Origin

beforeAll(async () => {
  tracker = await startTracker()
  site = await startSeeder({ input: resolve('test/fixtures/site'), announce: [tracker.wsUrl], name: 'site' })
  hostile = await startSeeder({ input: resolve('test/fixtures/hostile'), announce: [tracker.wsUrl], name: 'hostile' })
  // A port where nothing answers: connection refused, as for a dead server.
  closed = await startOrigin({ root: resolve('test/fixtures/site') })
  await closed.setMode('down')
  doh = await startDoh()
  const siteRecords = encodeTorrentRecords(site.torrentFile)
  const hostileRecords = encodeTorrentRecords(hostile.torrentFile)
  if (!siteRecords.ok || !hostileRecords.ok) throw new Error('records')
  doh.setTxt('_torrent.blog.test', siteRecords.value)
  doh.setTxt(`${sha1('/')}._torrent.hostile.test`, hostileRecords.value)
  for (const name of ['chromium', 'firefox'] as const) {
    const driver = await launch(name, ['hostile.test', 'blog.test'])
    drivers.set(name, driver)
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  }
})

afterAll(async () => {
  for (const driver of drivers.values()) await driver.close()
  await Promise.all([doh?.stop(), closed?.stop(), site?.stop(), hostile?.stop(), tracker?.stop()])
})

test('Firefox: a hostile copy’s scripts do not run at all, and its meta refresh is gone', async () => {
  const driver = drivers.get('firefox') as Driver
  const url = `http://hostile.test:${closed.port}/`
  const tab = await driver.openCopy(url)
  try {
    expect(await tab.copy.text('#results')).toBe('not run')
    // No refresh left to fire: what the frame holds is all it will ever show.
    expect(await tab.viewer.evaluate(() => document.querySelector('#copy iframe')?.getAttribute('srcdoc')?.includes('http-equiv'))).toBe(false)
    expect(await tab.viewer.text('#original-url')).toBe(url)
    expect(await tab.viewer.text('#status')).toBe('Showing the copy (its scripts could not run here)')
  } finally {
    await tab.close()
  }
})

test('Chromium: a hostile copy reaches no extension API, no parent, no cookie or storage, no service worker, opens no window, posts no form and cannot move the tab', async () => {
  const driver = drivers.get('chromium') as Driver
  const url = `http://hostile.test:${closed.port}/`
  const tab = await driver.openCopy(url)
  try {
    const results = JSON.parse(await tab.copy.text('#results') ?? '{}')
    expect(results).toEqual({
      'chrome.runtime.sendMessage': 'blocked: ReferenceError',
      'browser.storage': 'blocked: ReferenceError',
      'parent.document': 'blocked: SecurityError',
      'document.cookie': 'blocked: SecurityError',
      'top.location': expect.stringMatching(/^blocked: /),
      localStorage: 'blocked: SecurityError',
      indexedDB: 'blocked: SecurityError',
      'document.domain': 'blocked: SecurityError',
      serviceWorker: 'blocked: SecurityError',
      // submit() itself does not throw; that the copy is still there below shows nothing was sent.
      'form.submit': 'allowed: submitted',
      'window.open': 'blocked: no window'
    })
    expect(driver.chromium?.context.pages().map((page) => page.url()).filter((url) => url.includes('evil.test'))).toEqual([])
    // The forged navigate message was handled (only offered, below); the meta refresh is gone from
    // the rendered copy, so nothing is left to move the frame; top.location was blocked above.
    await expect.poll(async () => await tab.viewer.text('#leave')).toMatch(/evil\.test\/forged/)
    expect(await tab.copy.evaluate(() => document.querySelector('meta[http-equiv]'))).toBeNull()
    expect(await tab.copy.text('h1')).toBe('Nothing to see here')
    expect(await tab.viewer.evaluate(() => location.pathname + location.search)).toBe(`/src/viewer/viewer.html?url=${encodeURIComponent(url)}`)
    expect(await tab.viewer.text('#original-url')).toBe(url)
    // The forged link to elsewhere is only offered, for the user to confirm with a real click.
    expect(await tab.viewer.text('#leave')).toMatch(/links to http:\/\/evil\.test\/forged, outside this site/)
    // Neither does the reader's own click on the copy's submit button send the form.
    // Chromium says so for the frame: the form is not sent, because the sandbox does not allow forms.
    const blocked = driver.chromium?.context.pages().find((page) => page.url().includes('viewer.html'))?.waitForEvent('console', { predicate: (message) => /Blocked form submission/.test(message.text()), timeout: 10_000 })
    await tab.click('#send')
    await blocked
    expect(await tab.copy.text('h1')).toBe('Nothing to see here')
  } finally {
    await tab.close()
  }
})

test('Chromium: the DNS site record alone serves any page, and a link in the copy shows another page of it', async () => {
  const driver = drivers.get('chromium') as Driver
  const tab = await driver.openCopy(`http://blog.test:${closed.port}/about/`)
  try {
    expect(await tab.copy.text('h1')).toBe('About')
    expect(await tab.viewer.text('#source')).toMatch(/DNS site record/)
    // A fragment link scrolls within the copy and stays on the page.
    await tab.click('a[href="#colophon"]')
    await expect.poll(async () => await tab.copy.evaluate(() => window.scrollY)).toBeGreaterThan(1000)
    expect(await tab.copy.text('h1')).toBe('About')
    await tab.click('a[href$="/"]')
    await expect.poll(async () => await tab.copy.text('#greeting').catch(() => null)).toBe('Hello from the origin.')
    expect(await tab.viewer.evaluate(() => new URLSearchParams(location.search).get('url'))).toBe(`http://blog.test:${closed.port}/`)
    expect(await tab.viewer.text('#original-url')).toBe(`http://blog.test:${closed.port}/`)
  } finally {
    await tab.close()
  }
})

test('Chromium: a link in the copy to an image of the site shows the image, as the site would have, not a page', async () => {
  const driver = drivers.get('chromium') as Driver
  const tab = await driver.openCopy(`http://blog.test:${closed.port}/about/`)
  try {
    await tab.click('a[href$="logo.svg"]')
    await expect.poll(async () => await tab.viewer.evaluate(() => document.querySelector('#file .file-content')?.getAttribute('data-kind') ?? null)).toBe('vector-image')
    expect(await tab.viewer.evaluate(() => document.querySelector('#file img')?.getAttribute('src')?.slice(0, 19))).toBe('data:image/svg+xml;')
    expect(await tab.viewer.text('#original-url')).toBe(`http://blog.test:${closed.port}/logo.svg`)
  } finally {
    await tab.close()
  }
})

test('Chromium: a web page cannot make the viewer claim a copy of another site, by frame, link or window', async () => {
  const driver = drivers.get('chromium') as Driver
  const chromium = driver.chromium as NonNullable<Driver['chromium']>
  const forged = `${chromium.extensionOrigin}/src/viewer/viewer.html?url=${encodeURIComponent('https://bank.example/')}`
  const web = await startOrigin({ root: resolve('test/fixtures/site') })
  web.setFile('/spoof.html', `<!doctype html><title>Spoof</title>
    <iframe src="${forged}"></iframe><a id="link" href="${forged}">open</a>
    <script>window.opened = window.open(${JSON.stringify(forged)})</script>`)
  const page = await chromium.context.newPage()
  try {
    // The load event waits for the frame, which has either shown the viewer or been refused.
    await page.goto(`http://blog.test:${web.port}/spoof.html`, { waitUntil: 'load' })
    const claims = async (): Promise<string[]> => {
      const texts = await Promise.all(chromium.context.pages().flatMap((tab) => tab.frames()).map(async (frame) =>
        await frame.evaluate(() => document.getElementById('original-url')?.textContent ?? '').catch(() => '')))
      return texts.filter((text) => text.includes('bank.example'))
    }
    expect(await claims()).toEqual([])
    // Chromium refuses the navigation (the viewer is not web-accessible) and commits its error page.
    const refused = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() && frame.url().startsWith('chrome-error:'), timeout: 10_000 })
    await page.click('#link')
    await refused
    expect(await claims()).toEqual([])
  } finally {
    await page.close()
    await web.stop()
  }
})
