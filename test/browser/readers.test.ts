// The reader in control (issue "Readers"): the first-run page and its choices, the web archive
// when nothing is published (asked on a click or by itself), the popup's site switch both ways and
// the global pause (with the toolbar button saying so), and a copy opened on purpose while the
// site is up.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startArchive, startDoh, startOrigin, startSeeder, startTracker, type Archive, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { expectStoreImage, STORE_SIZE, storeImage } from './store-images.ts'
import { launch, type BrowserName, type Driver, type SettingsPage } from './drivers.ts'

/** The settings "Export settings" saves, as the options page holds them now. */
async function exportedNowOf (page: SettingsPage): Promise<Record<string, unknown>> {
  const href = await page.linkTarget('Export settings') ?? ''
  return JSON.parse(decodeURIComponent(href.replace(/^data:application\/json;charset=utf-8,/, '')))
}

const SITE = resolve('test/fixtures/site')

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let archive: Archive
  let doh: DohEndpoint
  let up: Origin
  let down: Origin
  let tracker: Tracker
  let seeder: Seeder

  beforeAll(async () => {
    tracker = await startTracker()
    seeder = await startSeeder({ input: SITE, announce: [tracker.wsUrl], name: 'site' })
    up = await startOrigin({ root: SITE, headers: { 'X-Torrent': seeder.magnetURI } })
    down = await startOrigin({ root: SITE })
    await down.setMode('down')
    archive = await startArchive()
    doh = await startDoh() // publishes nothing
    driver = await launch(name, ['site.test', 'gone.test'])
  })

  afterAll(async () => {
    await seeder?.stop()
    await driver?.close()
    await Promise.all([archive?.stop(), doh?.stop(), up?.stop(), down?.stop(), tracker?.stop()])
  })

  test('the first run explains what Peerback does and who sees what, and saves each choice at once', async () => {
    const welcome = await driver.extensionTab('src/welcome/welcome.html')
    expect(await driver.sessionValue('first-run')).toBe('shown')
    expect(await welcome.text('main')).toMatch(/see your IP address and which page you are reading/)
    expect(await welcome.text('main')).toMatch(/resolver sees the site’s name and a hash of the page’s address/)
    expect(await welcome.checked('#share')).toBe(true)
    expect(await welcome.checked('#stun-on')).toBe(true)
    expect(await welcome.text('#resolver')).toMatch(/Cloudflare \(the default\)/)
    expect(await welcome.checked('#archive')).toBe(false)
    // Keeping pages is offered with what it costs, and off.
    expect(await welcome.checked('#keep')).toBe(false)
    expect(await welcome.text('#keep-hint')).toMatch(/disk space and upload .* memory .* see your IP address and which pages you keep/)
    if (name === 'chromium') {
      await welcome.screenshot(resolve('docs/images/welcome.png'))
      await welcome.screenshot(storeImage('2-welcome.png'), STORE_SIZE)
      await expectStoreImage(storeImage('2-welcome.png'))
    }

    await welcome.click('#share')
    await welcome.click('#stun-off')
    await welcome.click('#keep')
    await expect.poll(async () => await driver.ask('settings', {})).toMatchObject({ shareWhileReading: false, iceServers: [], keepSharing: true })
    await welcome.click('#keep')
    await expect.poll(async () => await driver.ask('settings', {})).toMatchObject({ keepSharing: false })
    await welcome.click('#stun-on')
    await welcome.click('#share')
    await expect.poll(async () => await driver.ask('settings', {})).toMatchObject({ shareWhileReading: true, iceServers: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478'] })
    expect(await welcome.text('#saved')).toBe('Saved.')
    await welcome.close()

    const options = await driver.openSettings()
    try {
      expect(await options.linkTarget('About and privacy')).toMatch(/\/src\/welcome\/welcome\.html$/)
    } finally {
      await options.close()
    }
    // The tests' own settings from here on: the loopback resolver and archive, no STUN.
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, archiveUrl: archive.url, iceServers: [] })).toMatchObject({ ok: true })
  })

  test('settings export, import and reset on the options page; forgetting remembered sites says how many; a list too long for sync storage is refused, not lost silently', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'peerback-settings-'))
    try {
      expect(await driver.ask('updateSettings', { ratioTarget: 3 })).toMatchObject({ ok: true })
      const again = await driver.openSettings()
      try {
        expect(await exportedNowOf(again)).toMatchObject({ ratioTarget: 3, archiveUrl: archive.url })
        const file = join(folder, 'settings.json')
        await writeFile(file, JSON.stringify({ ...await exportedNowOf(again), ratioTarget: 1.25, stray: true }))
        await again.chooseFile('#import', file)
        await expect.poll(async () => await again.text('#data-status')).toBe('Settings imported.')
        expect(await driver.ask('settings', {})).toMatchObject({ ratioTarget: 1.25 })
        expect(await again.valueOf('Seeding ratio target')).toBe('1.25')

        await writeFile(file, JSON.stringify({ ratioTarget: -1 }))
        await again.chooseFile('#import', file)
        await expect.poll(async () => await again.text('#data-status')).toMatch(/^Nothing was imported: .*0 \(no limit\) or more/)
        expect(await driver.ask('settings', {})).toMatchObject({ ratioTarget: 1.25 })

        await again.click('#reset')
        await again.click('#reset-confirm')
        await expect.poll(async () => await again.text('#data-status')).toBe('Every setting is back to its default.')
        expect(await driver.ask('settings', {})).toMatchObject({ ratioTarget: 2, archiveUrl: 'https://archive.org' })

        const visited = await driver.open(`http://site.test:${up.port}/about/`)
        await expect.poll(async () => await driver.ask('cachedPointers', { url: `http://site.test:${up.port}/about/` })).not.toBeNull()
        await visited.close()
        await again.click('#forget')
        await expect.poll(async () => await again.text('#data-status')).toMatch(/^Forgot what Peerback remembered about 1 site: pages 1, pinned torrents 0\.$/)
        expect(await driver.ask('cachedPointers', { url: `http://site.test:${up.port}/about/` })).toBeNull()

        const many = Array.from({ length: 600 }, (_, index) => `site-${index}.example.org`)
        const refused = await driver.ask('updateSettings', { offSites: many })
        expect(refused).toMatchObject({ ok: false, field: null, message: expect.stringMatching(/^Nothing was saved: the browser would not store the settings/) })
        expect(await driver.ask('settings', {})).toMatchObject({ offSites: [] })
      } finally {
        await again.close()
      }
    } finally {
      await rm(folder, { recursive: true, force: true })
      expect(await driver.ask('updateSettings', { dohResolver: doh.url, archiveUrl: archive.url, iceServers: [] })).toMatchObject({ ok: true })
    }
  })

  test('a failed page with no copy: the popup opens its archived copy on a click, or says that there is none', async () => {
    const page = `http://gone.test:${down.port}/post?id=1`
    const snapshot = archive.keep(page)
    const tab = await driver.openFailing(page)
    const popup = await driver.popupFor(tab.tabId)
    try {
      await expect.poll(async () => await popup.text('#status')).toBe('This site has not published a copy that other readers could share.')
      await expect.poll(async () => await driver.badgeOf(tab.tabId)).toEqual({ text: '×', title: 'Peerback: the page failed, and no reader has a copy: the popup can look for an archived one' })
      expect(archive.asked).toEqual([]) // not before the reader asks
      expect(await popup.visible('#open-archived')).toBe(true)
      expect(await popup.visible('#stats')).toBe(false) // no copy: nothing to count
      if (name === 'chromium') await popup.screenshot(resolve('docs/images/popup-no-copy.png'))
      await popup.click('#open-archived')
      await expect.poll(async () => await driver.tabUrl(tab.tabId)).toBe(snapshot)
      expect(archive.asked).toEqual([page])
    } finally {
      await popup.close()
      await tab.close()
    }

    const never = `http://gone.test:${down.port}/never-archived`
    const other = await driver.openFailing(never)
    const again = await driver.popupFor(other.tabId)
    try {
      await expect.poll(async () => await again.visible('#open-archived')).toBe(true)
      await again.click('#open-archived')
      await expect.poll(async () => await again.text('#note')).toBe('The web archive has no copy of this page.')
      expect(await driver.tabUrl(other.tabId)).toBe(never)
    } finally {
      await again.close()
      await other.close()
    }
  })

  test('an archive that is down: the popup says it could not be asked', async () => {
    const stopped = await startArchive()
    await stopped.stop()
    expect(await driver.ask('updateSettings', { archiveUrl: stopped.url })).toMatchObject({ ok: true })
    try {
      const tab = await driver.openFailing(`http://gone.test:${down.port}/archive-down`)
      const popup = await driver.popupFor(tab.tabId)
      try {
        await expect.poll(async () => await popup.visible('#open-archived')).toBe(true)
        await popup.click('#open-archived')
        await expect.poll(async () => await popup.text('#note')).toMatch(/^The web archive could not be asked: /)
      } finally {
        await popup.close()
        await tab.close()
      }
    } finally {
      await driver.ask('updateSettings', { archiveUrl: archive.url })
    }
  })

  test('with archived copies looked for automatically, a failed page with no copy goes to its snapshot by itself', async () => {
    expect(await driver.ask('updateSettings', { archiveAuto: true })).toMatchObject({ ok: true })
    const page = `http://gone.test:${down.port}/auto`
    const snapshot = archive.keep(page, '20260101000000')
    const opened = await driver.open(`http://site.test:${up.port}/`)
    try {
      await opened.goto(page).catch(() => {})
      await expect.poll(async () => await driver.tabUrl(opened.id)).toBe(snapshot)
      expect(await opened.text('#archived')).toBe(`Archived copy of ${page}`)
    } finally {
      await opened.close()
      await driver.ask('updateSettings', { archiveAuto: false })
    }
  })

  test('the popup turns Peerback off for a site and on again, and pauses it everywhere; the toolbar button says so', async () => {
    const tab = await driver.open(`http://site.test:${up.port}/about/`)
    const popup = await driver.popupFor(tab.id)
    try {
      await expect.poll(async () => await popup.text('#site-off')).toBe('Turn Peerback off for site.test')
      expect(await popup.visible('#site-on')).toBe(false)
      await popup.click('#site-off')
      await expect.poll(async () => await popup.text('#status')).toBe('Peerback is off for site.test: it does nothing on this site.')
      expect(await driver.ask('settings', {})).toMatchObject({ offSites: ['site.test'] })
      await expect.poll(async () => (await driver.badgeOf(tab.id)).title).toBe('Peerback: off for site.test — it does nothing on this site until you turn it on again')
      expect(await popup.visible('#open-copy')).toBe(false)

      expect(await popup.text('#site-on')).toBe('Turn Peerback on again for site.test')
      await popup.click('#site-on')
      await expect.poll(async () => (await driver.badgeOf(tab.id)).title).toBe('Peerback')
      expect(await driver.ask('settings', {})).toMatchObject({ offSites: [] })
      expect(await popup.visible('#site-off')).toBe(true)

      // From the keyboard, as every action: Tab to the button, Enter.
      for (let presses = 0; presses < 12 && await popup.focused() !== 'pause'; presses++) await popup.press('Tab')
      expect(await popup.focused()).toBe('pause')
      await popup.press('Enter')
      await expect.poll(async () => (await driver.badgeOf(tab.id)).title).toMatch(/^Peerback: paused everywhere/)
      expect(await popup.text('#status')).toMatch(/^Peerback is paused everywhere/)
      expect(await popup.visible('#resume')).toBe(true)
      // The page speaks the interface's language.
      expect(await popup.attribute('html', 'lang')).toMatch(/^en/)
      expect(await popup.attribute('html', 'dir')).toBe('ltr')
      await popup.click('#resume')
      await expect.poll(async () => (await driver.badgeOf(tab.id)).title).toBe('Peerback')
      expect(await driver.ask('settings', {})).toMatchObject({ paused: false })
    } finally {
      await popup.close()
      await tab.close()
    }
  })

  test('a page that loaded but points to a copy: the popup opens the copy on purpose', async () => {
    const url = `http://site.test:${up.port}/`
    const tab = await driver.open(url)
    await expect.poll(async () => await driver.ask('cachedPointers', { url })).not.toBeNull()
    const popup = await driver.popupFor(tab.id)
    try {
      await expect.poll(async () => await popup.visible('#open-copy')).toBe(true)
      await popup.click('#open-copy')
      await expect.poll(async () => await driver.tabUrl(tab.id)).toMatch(/\/src\/viewer\/viewer\.html\?url=/)
      await expect.poll(async () => (await driver.ask('tabState', { tabId: tab.id }))?.phase, { timeout: 30_000 }).toMatch(/^(showing|seeding)$/)
    } finally {
      await popup.close()
      await tab.close()
    }
  })
})
