// In German — among the four translations, the one with the longest words — the popup, the viewer's
// banner and the options page speak German, and no text runs out of its box. Chromium only: its
// --lang sets the extension's interface language; Firefox would need a language pack installed.
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startOrigin, startSeeder, startTracker, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')

// Runs in the page: elements whose content is wider than their box (cut off or spilling out),
// or that reach past the page's right edge (the popup's is its 340 px body).
const overflowing = (): string[] => {
  const edge = document.body.getBoundingClientRect().right + 1
  return [...document.body.querySelectorAll<HTMLElement>('*')]
    .filter((element) => element.checkVisibility() && !['SCRIPT', 'STYLE', 'DATALIST', 'OPTION', 'IFRAME'].includes(element.tagName))
    .filter((element) => element.scrollWidth > element.clientWidth + 1 || element.getBoundingClientRect().right > edge)
    .filter((element) => getComputedStyle(element).overflowX !== 'auto' && element.tagName !== 'TEXTAREA')
    .map((element) => `${element.tagName.toLowerCase()}${element.id === '' ? '' : `#${element.id}`}: ${(element.textContent ?? '').trim().slice(0, 60)}`)
}

describe('chromium, in German', () => {
  let driver: Driver
  let origin: Origin
  let tracker: Tracker
  let seeder: Seeder

  beforeAll(async () => {
    tracker = await startTracker()
    seeder = await startSeeder({ input: SITE, announce: [tracker.wsUrl], name: 'site' })
    origin = await startOrigin({ root: SITE, headers: { 'X-Torrent': seeder.magnetURI, 'Cache-Control': 'no-cache' } })
    driver = await launch('chromium', ['site.test'], { locale: 'de' })
    expect(await driver.ask('updateSettings', { iceServers: [] })).toMatchObject({ ok: true })
  })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([seeder?.stop(), origin?.stop(), tracker?.stop()])
  })

  test('the viewer’s banner over a copy, and the popup beside it, speak German and fit', async () => {
    const url = `http://site.test:${origin.port}/`
    const tab = await driver.openCopy(url, { after: url, breakSite: async () => { await origin.setMode('down') }, until: 'viewer' })
    try {
      // The phase's mark, not its words: the words are German.
      await expect.poll(async () => await tab.viewer.evaluate(() => document.getElementById('status')?.dataset.state), { timeout: 30_000 }).toMatch(/^(showing|seeding)$/)
      expect(await tab.viewer.evaluate(() => document.documentElement.lang)).toMatch(/^de/)
      expect(await tab.viewer.text('#copy-of')).toBe(`Kopie von ${url}, von anderen Lesern geliefert`)
      expect(await tab.viewer.text('#retry-site')).toBe('Website erneut versuchen')
      expect(await tab.viewer.evaluate(overflowing)).toEqual([])

      const popup = await driver.popupFor(await tab.tabId())
      try {
        await expect.poll(async () => await popup.text('#status')).toMatch(/Kopie dieser Seite/)
        expect(await popup.text('#pause')).toBe('Peerback überall pausieren')
        expect(await popup.evaluate(overflowing)).toEqual([])
      } finally {
        await popup.close()
      }
    } finally {
      await tab.close()
      await origin.setMode('up')
    }
  })

  test('the options page speaks German and fits, its advanced settings open too', async () => {
    const settings = await driver.openSettings()
    try {
      expect(await settings.text('h1')).toBe('Peerback-Einstellungen')
      await settings.click('#advanced > summary')
      expect(await settings.valueOf('Ziel-Verhältnis beim Teilen')).toBe('2')
      expect(await settings.evaluate(overflowing)).toEqual([])
    } finally {
      await settings.close()
    }
  })
})
