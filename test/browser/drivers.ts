// One way to drive the extension in either browser, so each browser test body runs in both.
/// <reference types="chrome" />
import type { Frame as PlaywrightFrame, Page as PlaywrightPage } from 'playwright-core'
import type { Frame as PuppeteerFrame, Page as PuppeteerPage } from 'puppeteer-core'
import type { ToBackground } from '../../src/lib/messages.ts'
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

/** A frame to read from: the viewer's own page, or the copy rendered inside it. */
export interface FrameView {
  text: (selector: string) => Promise<string | null>
  evaluate: <T>(fn: () => T | Promise<T>) => Promise<T>
}

/** A tab that failed over: the viewer, and the copy it shows. */
export interface CopyTab {
  readonly viewer: FrameView
  /** The copy as it is now (it changes when a link inside it is followed). */
  readonly copy: FrameView
  /** Clicks inside the copy, as a user would (Firefox: by where the element lies in the frame). */
  click: (selector: string) => Promise<void>
  /** Clicks on the viewer's own page (its banner), as a user would. */
  clickViewer: (selector: string) => Promise<void>
  /** The browser's back button; settles whether the page it goes to loads or fails. */
  back: () => Promise<void>
  /** The browser's forward button; settles as back does. */
  forward: () => Promise<void>
  /** Types an address into the tab's address bar; settles whether the page loads or fails. */
  type: (url: string) => Promise<void>
  /** The address the tab shows now. */
  url: () => string
  /** The extension's id for the tab, asked from the viewer. */
  tabId: () => Promise<number>
  /** The tab as shown; with `size`, the window's inner size first (a store's screenshots are 1280×800). */
  screenshot: (path: string, size?: ScreenSize) => Promise<void>
  close: () => Promise<void>
}

export interface ScreenSize { width: number, height: number }

export interface ExtensionView {
  text: (selector: string) => Promise<string | null>
  /** Clicks an element, as a user would. */
  click: (selector: string) => Promise<void>
  /** Whether a checkbox or radio button is checked. */
  checked: (selector: string) => Promise<boolean>
  /** Presses a key (Tab, Enter…) where the focus is, as a keyboard user does. */
  press: (key: string) => Promise<void>
  /** The id of the element that has the focus. */
  focused: () => Promise<string>
  /** An attribute of an element. */
  attribute: (selector: string, name: string) => Promise<string | null>
  /** Whether the element exists and is laid out on screen. */
  visible: (selector: string) => Promise<boolean>
  /** Runs `fn` in the page. */
  evaluate: <T>(fn: () => T) => Promise<T>
  /** The whole page; with `size`, exactly that much of it at that window size. */
  screenshot: (path: string, size?: ScreenSize) => Promise<void>
  close: () => Promise<void>
}

function extensionView (page: AnyPage): ExtensionView {
  return {
    text: async (selector) => await page.evaluate((selector: string) => document.querySelector(selector)?.textContent ?? null, selector) as string | null,
    visible: async (selector) => await page.evaluate((selector: string) => {
      const element = document.querySelector<HTMLElement>(selector)
      // As laid out: a stylesheet can show an element its `hidden` attribute meant to hide.
      return element?.checkVisibility() ?? false
    }, selector) as boolean,
    click: async (selector) => { await page.click(selector) },
    press: async (key) => { await page.keyboard.press(key) },
    focused: async () => await page.evaluate(() => document.activeElement?.id ?? '', null) as string,
    evaluate: async (fn) => await page.evaluate(fn, null),
    attribute: async (selector, name) => await page.evaluate(([selector, name]: [string, string]) => document.querySelector(selector)?.getAttribute(name) ?? null, [selector, name]) as string | null,
    checked: async (selector) => await page.evaluate((selector: string) => document.querySelector<HTMLInputElement>(selector)?.checked === true, selector) as boolean,
    screenshot: async (path, size) => { await shoot(page, path, size) },
    // A page that closed itself (the popup after it sent the tab somewhere) is closed already.
    close: async () => { await page.close().catch(() => {}) }
  }
}

/** The options page, driven the way a user does: by label, keyboard and the Save button. */
export interface SettingsPage {
  /** Selects the field's text and types over it. */
  type: (label: string, text: string) => Promise<void>
  /** Clicks a checkbox if it is not already as wanted. */
  setChecked: (label: string, on: boolean) => Promise<void>
  save: () => Promise<void>
  /** The message shown beside a field, or null. */
  problemFor: (label: string) => Promise<string | null>
  /** The line beside the Save button. */
  savedText: () => Promise<string>
  /** What a field shows now. */
  valueOf: (label: string) => Promise<string>
  /** Where the link with this text goes. */
  linkTarget: (text: string) => Promise<string | null>
  /** Clicks an element by selector (a button outside the form). */
  click: (selector: string) => Promise<void>
  /** An element's text. */
  text: (selector: string) => Promise<string | null>
  /** Runs `fn` in the page. */
  evaluate: <T>(fn: () => T) => Promise<T>
  /** Chooses a file in a file input, as a reader would in the file picker. */
  chooseFile: (selector: string, path: string) => Promise<void>
  /** The whole page; with `size`, exactly that much of it at that window size. */
  screenshot: (path: string, size?: ScreenSize) => Promise<void>
  close: () => Promise<void>
}

/** The least both Playwright's and Puppeteer's pages have in common, for driving extension pages alike. */
interface AnyPage {
  focus: (selector: string) => Promise<void>
  click: (selector: string) => Promise<void>
  $: (selector: string) => Promise<{ uploadFile?: (...paths: string[]) => Promise<void>, setInputFiles?: (files: string) => Promise<void> } | null>
  keyboard: { type: (text: string) => Promise<void>, press: (key: any) => Promise<void> }
  evaluate: (fn: (arg: any) => any, arg: any) => Promise<any>
  screenshot: (options: { path: string, fullPage?: boolean }) => Promise<unknown>
  /** Playwright's; Puppeteer's pages have setViewport. */
  setViewportSize?: (size: ScreenSize) => Promise<void>
  setViewport?: (size: ScreenSize) => Promise<void>
  close: () => Promise<void>
}

async function shoot (page: Pick<AnyPage, 'screenshot' | 'setViewportSize' | 'setViewport'>, path: string, size?: ScreenSize): Promise<void> {
  if (size === undefined) {
    await page.screenshot({ path, fullPage: true })
    return
  }
  await (page.setViewportSize?.(size) ?? page.setViewport?.(size))
  await page.screenshot({ path })
}

function settingsPage (page: AnyPage): SettingsPage {
  const idOf = async (label: string): Promise<string> => {
    const id = await page.evaluate((label: string) => [...document.querySelectorAll('label')].find((element) => element.textContent === label)?.htmlFor ?? null, label) as string | null
    if (id === null) throw new Error(`the options page has no field labelled "${label}"`)
    // A field among the advanced settings: open the disclosure first, as a reader would.
    if (await page.evaluate((id: string) => document.getElementById(id)?.closest('details')?.open === false, id) as boolean) await page.click('#advanced > summary')
    return id
  }
  return {
    async type (label, text) {
      const id = await idOf(label)
      await page.focus(`#${id}`)
      await page.evaluate((id: string) => { (document.getElementById(id) as HTMLInputElement).select() }, id)
      await page.keyboard.type(text)
    },
    async setChecked (label, on) {
      const id = await idOf(label)
      if (await page.evaluate((id: string) => (document.getElementById(id) as HTMLInputElement).checked, id) !== on) await page.click(`#${id}`)
    },
    save: async () => { await page.click('button[type=submit]') },
    problemFor: async (label) => await page.evaluate((id: string) => {
      const problem = document.getElementById(`${id}-problem`)
      return problem === null || problem.hidden ? null : problem.textContent
    }, await idOf(label)) as string | null,
    savedText: async () => await page.evaluate(() => document.getElementById('saved')?.textContent ?? '', null) as string,
    valueOf: async (label) => await page.evaluate((id: string) => (document.getElementById(id) as HTMLInputElement).value, await idOf(label)) as string,
    click: async (selector) => { await page.click(selector) },
    text: async (selector) => await page.evaluate((selector: string) => document.querySelector(selector)?.textContent ?? null, selector) as string | null,
    evaluate: async (fn) => await page.evaluate(fn, null),
    async chooseFile (selector, path) {
      const input = await page.$(selector)
      if (input === null) throw new Error(`no ${selector}`)
      // Playwright's element handles take setInputFiles, Puppeteer's uploadFile.
      if (input.setInputFiles !== undefined) await input.setInputFiles(path)
      else await input.uploadFile?.(path)
    },
    linkTarget: async (text) => await page.evaluate((text: string) => [...document.querySelectorAll('a')].find((link) => link.textContent === text)?.href ?? null, text) as string | null,
    screenshot: async (path, size) => { await shoot(page, path, size) },
    close: async () => { await page.close() }
  }
}

export interface Driver {
  readonly name: BrowserName
  /** Asks the background through the extension's own message protocol, from an extension page. */
  ask: <K extends keyof ToBackground>(name: K, request: ToBackground[K]['request']) => Promise<ToBackground[K]['response']>
  /** Opens a web page in a new tab; rejects when the navigation fails. */
  open: (url: string) => Promise<Tab>
  /**
   * Opens a page that is expected to fail, and waits for the peer copy to be shown instead. With
   * `after`, the tab first shows that healthy page, then `breakSite` runs, then the failing one.
   */
  openCopy: (url: string, options?: { after?: string, breakSite?: () => Promise<void>, until?: 'shown' | 'viewer' }) => Promise<CopyTab>
  /** The toolbar button's badge and tooltip for a tab. */
  badgeOf: (tabId: number) => Promise<{ text: string, title: string }>
  /** The toolbar popup, opened as a page about one tab. */
  popupFor: (tabId: number) => Promise<ExtensionView>
  /**
   * Opens a page that is expected to fail and stay failed (no copy), once the background has
   * recorded its failure; the tab's id, and a way to close it.
   */
  openFailing: (url: string) => Promise<{ tabId: number, close: () => Promise<void> }>
  /** The address a tab shows now (undefined for a tab that is gone). */
  tabUrl: (tabId: number) => Promise<string | undefined>
  /** The extension page a tab of its own shows (the first-run page), once it is open. */
  extensionTab: (path: string) => Promise<ExtensionView>
  /** Opens the options page in a tab of its own. */
  openSettings: () => Promise<SettingsPage>
  /**
   * A value the background keeps in storage.session (src/background/): how a test knows the
   * background handled an event that changes nothing a reader sees (`race:<tabId>`).
   */
  sessionValue: (key: string) => Promise<unknown>
  /** Removes entries from the extension's storage.local, as the pointer cache's eviction does. */
  removeStored: (keys: string[]) => Promise<void>
  /** Whether the prefetch host (Chrome: offscreen document; Firefox: background frame) is open. */
  prefetchHostOpen: () => Promise<boolean>
  /** Runs `fn` in an extension page (extension APIs as `browser` on Firefox, `chrome` on Chromium). */
  inExtension: <T>(fn: () => Promise<T>) => Promise<T>
  /**
   * Swaps the driver's own extension page (a popup, which asks the background something every
   * second) for the welcome page, which asks once as it loads, so that nothing of the test's keeps
   * Firefox's event page awake; `sessionValue` still reads, and `ask` would wake the background.
   */
  goQuiet: () => Promise<void>
  close: () => Promise<void>
  /** Chromium only: the launched browser, for what only Chromium can do (stopping the worker). */
  readonly chromium?: ChromiumWithExtension
  /** `Peerback:` warnings this test expects (a bad peer, a dead tracker): the others fail it. */
  allowWarnings: (...patterns: RegExp[]) => void
  /** The extension's `Peerback:` warnings since the last call that no allowance covers; allowances end here. */
  unexpectedWarnings: () => string[]
}

/**
 * The extension's own warnings (`console.warn('Peerback: …')`), as the consoles of its worker
 * (Chromium) and its pages show them. test/browser/warnings.setup.ts fails a test on one it did
 * not expect.
 */
function warningLog (): Pick<Driver, 'allowWarnings' | 'unexpectedWarnings'> & { note: (type: string, text: string) => void } {
  let seen: string[] = []
  let allowed: RegExp[] = []
  return {
    note: (type, text) => { if ((type === 'warning' || type === 'warn') && text.startsWith('Peerback:')) seen.push(text) },
    allowWarnings: (...patterns) => { allowed.push(...patterns) },
    unexpectedWarnings: () => {
      const unexpected = seen.filter((text) => !allowed.some((pattern) => pattern.test(text)))
      seen = []
      allowed = []
      return unexpected
    }
  }
}

const live = new Set<Driver>()

/** The drivers launched and not closed yet. */
export const liveDrivers = (): Driver[] => [...live]

/**
 * `optionalGranted`: whether the reader granted the permissions asked for later (test/world/granted.ts);
 * default yes. `locale`: the browser's interface language (Chromium only); default English.
 * `profileDir`: a profile kept across launches, for a browser that restarts (Chromium only).
 * `firefoxPrefs`: more prefs for Firefox (Firefox only).
 */
export async function launch (name: BrowserName, hosts: string[] = ['site.test'], { optionalGranted = true, locale = undefined as string | undefined, profileDir = undefined as string | undefined, firefoxPrefs = {} } = {}): Promise<Driver> {
  const warnings = warningLog()
  const driver = name === 'chromium' ? await chromiumDriver(warnings.note, optionalGranted, locale, profileDir) : await firefoxDriver(hosts, warnings.note, optionalGranted, firefoxPrefs)
  // A background that died while loading never answers: say so instead of waiting for the test timeout.
  const ask = driver.ask
  const launched: Driver = {
    ...driver,
    ...warnings,
    ask: async (message, request) => await Promise.race([
      ask(message, request),
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`the ${name} background did not answer "${message}" within 15 s`)), 15_000))
    ]),
    close: async () => {
      live.delete(launched)
      await driver.close()
    }
  }
  live.add(launched)
  return launched
}

type NoteWarning = (type: string, text: string) => void

async function chromiumDriver (note: NoteWarning, optionalGranted: boolean, locale?: string, profileDir?: string): Promise<Omit<Driver, 'allowWarnings' | 'unexpectedWarnings'>> {
  const chromium = await launchChromium({ optionalGranted, ...(locale !== undefined && { locale }), ...(profileDir !== undefined && { profileDir }) })
  const listen = (source: { on: (event: 'console', listener: (message: { type: () => string, text: () => string }) => void) => unknown }): void => {
    source.on('console', (message) => { note(message.type(), message.text()) })
  }
  listen(chromium.context)
  for (const worker of chromium.context.serviceWorkers()) listen(worker)
  chromium.context.on('serviceworker', listen)
  const extensionPage = await chromium.context.newPage()
  await extensionPage.goto(`${chromium.extensionOrigin}/src/popup/popup.html`)
  const ask: Driver['ask'] = async (name, request) =>
    await extensionPage.evaluate(async ([name, request]) => await chrome.runtime.sendMessage({ to: 'background', name, request }), [name, request] as const)
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
    async openCopy (url, { after, breakSite, until = 'shown' } = {}) {
      const page = await chromium.context.newPage()
      if (after !== undefined) await page.goto(after)
      await breakSite?.()
      await page.goto(url).catch(() => {}) // the failure is the point
      // Polled: waitForURL gives up when the load it watches is aborted, as a race's switch does.
      await poll(() => /\/src\/viewer\/viewer\.html\?/.test(page.url()) ? true : undefined, 'the viewer', 20_000)
      if (until === 'shown') await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Showing the copy'), undefined, { timeout: 30_000 })
      const copyFrame = until === 'shown' ? await poll(() => page.mainFrame().childFrames()[0], 'the copy to be rendered') : page.mainFrame()
      const view = (frame: PlaywrightFrame): FrameView => ({
        text: async (selector) => await frame.textContent(selector),
        evaluate: async (fn) => await frame.evaluate(fn)
      })
      const current = (): PlaywrightFrame => page.mainFrame().childFrames()[0] ?? copyFrame
      return {
        viewer: view(page.mainFrame()),
        copy: { text: async (selector) => await current().textContent(selector), evaluate: async (fn) => await current().evaluate(fn) },
        click: async (selector) => { await current().click(selector) },
        clickViewer: async (selector) => { await page.click(selector) },
        back: async () => { await page.goBack().catch(() => {}) },
        forward: async () => { await page.goForward().catch(() => {}) },
        type: async (url) => { await page.goto(url).catch(() => {}) },
        url: () => page.url(),
        tabId: async () => await page.evaluate(async () => (await chrome.tabs.getCurrent())?.id ?? -1),
        screenshot: async (path, size) => {
          if (size !== undefined) await page.setViewportSize(size)
          await page.screenshot({ path })
        },
        close: async () => await playwrightTab(page, 0).close()
      }
    },
    badgeOf: async (tabId) => await extensionPage.evaluate(async (tabId) =>
      ({ text: await chrome.action.getBadgeText({ tabId }), title: await chrome.action.getTitle({ tabId }) }), tabId),
    removeStored: async (keys) => { await extensionPage.evaluate(async (keys) => { await chrome.storage.local.remove(keys) }, keys) },
    sessionValue: async (key) => await extensionPage.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, key),
    async popupFor (tabId) {
      const page = await chromium.context.newPage()
      await page.setViewportSize({ width: 360, height: 420 })
      await page.goto(`${chromium.extensionOrigin}/src/popup/popup.html?tab=${tabId}`)
      return extensionView(page)
    },
    async openFailing (url) {
      // Opened by the extension, which learns the tab's id at once: a failed page's address is
      // hidden from tabs.query (Chromium's error page is not a web page).
      const tabId = await extensionPage.evaluate(async (url) => (await chrome.tabs.create({ url })).id ?? -1, url)
      await pollAsync(async () => (await ask('tabFailure', { tabId }))?.url === url, `the failure of ${url} to be recorded`)
      return { tabId, close: async () => { await extensionPage.evaluate(async (tabId) => { await chrome.tabs.remove(tabId) }, tabId).catch(() => {}) } }
    },
    tabUrl: async (tabId) => await extensionPage.evaluate(async (tabId) => await chrome.tabs.get(tabId).then((tab) => tab.url, () => undefined), tabId),
    async extensionTab (path) {
      const page = await poll(() => chromium.context.pages().find((candidate) => candidate.url().startsWith(`${chromium.extensionOrigin}/${path}`)), path)
      await page.waitForLoadState('load')
      return extensionView(page)
    },
    async openSettings () {
      const page = await chromium.context.newPage()
      await page.goto(`${chromium.extensionOrigin}/src/options/options.html`)
      await page.waitForSelector('label')
      return settingsPage(page)
    },
    prefetchHostOpen: async () => await extensionPage.evaluate(async () =>
      (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length > 0),
    inExtension: async (fn) => await extensionPage.evaluate(fn),
    goQuiet: async () => { await extensionPage.goto(`${chromium.extensionOrigin}/src/welcome/welcome.html`) },
    close: async () => { await chromium.close() }
  }
}

async function pollAsync (check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!await check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Waits for a value to appear, for what neither browser driver can await directly. */
async function poll<T> (find: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
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

declare const browser: { runtime: { sendMessage: (message: unknown) => Promise<unknown>, getBackgroundPage: () => Promise<Window> }, tabs: { create: (properties: object) => Promise<{ id: number }>, remove: (tabId: number) => Promise<void>, get: (tabId: number) => Promise<{ url?: string }>, query: (query: object) => Promise<Array<{ id: number, url: string }>>, getCurrent: () => Promise<{ id?: number } | undefined> }, storage: { local: { remove: (keys: string[]) => Promise<void> }, session: { get: (key: string) => Promise<Record<string, unknown>> } }, action: { getBadgeText: (details: object) => Promise<string>, getTitle: (details: object) => Promise<string> } }

async function firefoxDriver (hosts: string[], note: NoteWarning, optionalGranted: boolean, prefs: Record<string, string | number | boolean>): Promise<Omit<Driver, 'allowWarnings' | 'unexpectedWarnings'>> {
  const firefox = await launchFirefox({ hosts, optionalGranted, prefs })
  // The pages the tests open (viewers among them); Firefox's background page is not reachable here.
  const newPage = async (): Promise<PuppeteerPage> => {
    const page = await firefox.browser.newPage()
    page.on('console', (message) => { note(message.type(), message.text()) })
    return page
  }
  let extensionPage = await firefox.openExtensionPage('src/popup/popup.html')
  const ask: Driver['ask'] = async (name, request) =>
    await extensionPage.evaluate(async (name, request) => await browser.runtime.sendMessage({ to: 'background', name, request }), name, request) as never
  const tabIdOf = async (url: string): Promise<number> => {
    const id = await extensionPage.evaluate(async (url) => (await browser.tabs.query({})).find((tab) => tab.url === url)?.id ?? null, url)
    if (id === null) throw new Error(`no tab shows ${url}`)
    return id
  }
  return {
    name: 'firefox',
    ask,
    async open (url) {
      const page = await newPage()
      await page.goto(url)
      return puppeteerTab(page, await tabIdOf(url))
    },
    async openCopy (url, { after, breakSite, until = 'shown' } = {}) {
      const page = await newPage()
      if (after !== undefined) await page.goto(after)
      await breakSite?.()
      // The failure is the point; a navigation that became a download (a torrent answer) never
      // settles for WebDriver BiDi, so the viewer's arrival ends the wait as well.
      const inViewer = pollAsync(async () => await page.evaluate(() => location.pathname.endsWith('/viewer.html')).catch(() => false), 'the viewer')
      inViewer.catch(() => {}) // the next wait says it
      await Promise.race([page.goto(url).catch(() => {}), inViewer])
      // The tab moves to the viewer under the driver's feet: ask again until the copy shows.
      await pollAsync(async () => await page.evaluate((until) => location.pathname.endsWith('/viewer.html') &&
        (until === 'viewer' || document.getElementById('status')?.textContent?.startsWith('Showing the copy') === true), until).catch(() => false), 'the copy to be shown')
      const viewerFrame = page.mainFrame()
      const view = (frame: PuppeteerFrame): FrameView => ({
        text: async (selector) => await frame.$eval(selector, (element) => element.textContent),
        evaluate: async (fn) => await frame.evaluate(fn)
      })
      // WebDriver BiDi does not list the frames of a moz-extension page, so the copy is read from the
      // srcdoc the viewer gave its sandboxed frame: what the frame shows, without running it.
      const copy: FrameView = {
        text: async (selector) => await viewerFrame.evaluate((selector) => {
          const srcdoc = document.querySelector('#copy iframe')?.getAttribute('srcdoc') ?? ''
          return new DOMParser().parseFromString(srcdoc, 'text/html').querySelector(selector)?.textContent ?? null
        }, selector),
        evaluate: async () => { throw new Error('Firefox: the copy cannot be run from the test; read it with text()') }
      }
      return {
        viewer: view(viewerFrame),
        copy,
        async click (selector) {
          // BiDi cannot reach into the sandboxed frame: the same srcdoc is laid out in an unsandboxed
          // twin of the same size (its scripts blocked by the extension's policy), the element found
          // there, and the real frame clicked at that point, as a user's mouse would.
          const at = await viewerFrame.evaluate(async (selector) => {
            const frame = document.querySelector<HTMLIFrameElement>('#copy iframe')
            if (frame === null) throw new Error('no copy frame')
            const box = frame.getBoundingClientRect()
            const twin = document.createElement('iframe')
            Object.assign(twin.style, { position: 'fixed', left: '0', top: '0', width: `${box.width}px`, height: `${box.height}px`, border: '0', visibility: 'hidden' })
            const loaded = new Promise((resolve) => { twin.addEventListener('load', resolve, { once: true }) })
            twin.srcdoc = frame.getAttribute('srcdoc') ?? ''
            document.body.append(twin)
            await loaded
            const target = twin.contentDocument?.querySelector(selector)?.getBoundingClientRect()
            twin.remove()
            if (target === undefined) throw new Error(`the copy has no ${selector}`)
            return { x: box.left + target.left + Math.min(4, target.width / 2), y: box.top + target.top + target.height / 2 }
          }, selector)
          await page.mouse.click(at.x, at.y)
        },
        clickViewer: async (selector) => { await page.click(selector) },
        back: async () => { await page.goBack().catch(() => {}) },
        // BiDi's goForward waits for a load a moz-extension page reached from history never reports
        // to it (30 s): the page's own history goes forward, and the test waits for what follows.
        forward: async () => { await page.evaluate(() => { history.forward() }) },
        type: async (url) => { await page.goto(url).catch(() => {}) },
        url: () => page.url(),
        tabId: async () => await page.evaluate(async () => (await browser.tabs.getCurrent())?.id ?? -1),
        screenshot: async (path, size) => {
          if (size !== undefined) await page.setViewport(size)
          await page.screenshot({ path })
        },
        close: async () => { await page.close() }
      }
    },
    badgeOf: async (tabId) => await extensionPage.evaluate(async (tabId) =>
      ({ text: await browser.action.getBadgeText({ tabId }), title: await browser.action.getTitle({ tabId }) }), tabId),
    removeStored: async (keys) => { await extensionPage.evaluate(async (keys) => { await browser.storage.local.remove(keys) }, keys) },
    sessionValue: async (key) => await extensionPage.evaluate(async (key) => (await browser.storage.session.get(key))[key] ?? null, key),
    async popupFor (tabId) {
      const page = await firefox.openExtensionPage(`src/popup/popup.html?tab=${tabId}`)
      return extensionView(page)
    },
    async openFailing (url) {
      const tabId = await extensionPage.evaluate(async (url) => (await browser.tabs.create({ url })).id, url)
      await pollAsync(async () => (await ask('tabFailure', { tabId }))?.url === url, `the failure of ${url} to be recorded`)
      return { tabId, close: async () => { await extensionPage.evaluate(async (tabId) => { await browser.tabs.remove(tabId) }, tabId).catch(() => {}) } }
    },
    tabUrl: async (tabId) => await extensionPage.evaluate(async (tabId) => await browser.tabs.get(tabId).then((tab) => tab.url, () => undefined), tabId),
    async extensionTab (path) {
      let found: PuppeteerPage | undefined
      // WebDriver BiDi names a moz-extension page about:blank: each page is asked where it is.
      const showsPath = async (page: PuppeteerPage): Promise<boolean> =>
        await page.evaluate((path) => location.href.endsWith(`/${path}`) && document.readyState === 'complete', path).catch(() => false)
      await pollAsync(async () => {
        for (const page of await firefox.browser.pages()) if (await showsPath(page)) found = page
        return found !== undefined
      }, path)
      return extensionView(found as PuppeteerPage)
    },
    async openSettings () {
      const page = await firefox.openExtensionPage('src/options/options.html')
      await page.waitForSelector('label')
      return settingsPage(page)
    },
    prefetchHostOpen: async () => await extensionPage.evaluate(async () =>
      (await browser.runtime.getBackgroundPage()).document.getElementById('peerback-prefetch-host') !== null),
    inExtension: async (fn) => await extensionPage.evaluate(fn),
    goQuiet: async () => {
      const quiet = await firefox.openExtensionPage('src/welcome/welcome.html')
      await extensionPage.close()
      extensionPage = quiet
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

