// Firefox with the built extension installed as a temporary add-on, driven by puppeteer-core over
// WebDriver BiDi, with prefs for loopback-only WebRTC and local test host names.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { GECKO_ID } from '../../src/platform/manifest.ts'
import { findFirefox } from './find-browser.ts'
import { withPermissionsGranted } from './granted.ts'

export interface FirefoxWithExtension {
  readonly browser: Browser
  /** `moz-extension://<uuid>`, pinned before start so tests can open the extension's pages. */
  readonly extensionOrigin: string
  /** Opens one of the extension's pages (e.g. `src/popup/popup.html`) in a new tab. */
  openExtensionPage: (path: string) => Promise<Page>
  close: () => Promise<void>
}

export interface LaunchOptions {
  /** The unpacked extension; default `dist-firefox/`. */
  extensionDir?: string
  /** Host names that resolve to loopback (Firefox has no wildcard rule). */
  hosts?: string[]
  headless?: boolean
  /**
   * Whether the reader granted the optional permissions (granted.ts); default yes. When not,
   * Firefox grants what the extension asks for without a prompt.
   */
  optionalGranted?: boolean
  /** More prefs, over the test world's own (a shorter idle time for the background page). */
  prefs?: Record<string, string | number | boolean>
}

export async function launchFirefox (options: LaunchOptions = {}): Promise<FirefoxWithExtension> {
  const uuid = randomUUID()
  const home = await mkdtemp(join(tmpdir(), 'peerback-firefox-'))
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: options.headless ?? true,
    env: { ...process.env, HOME: home },
    // Lets the driver open moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    // The test world's HTTPS origins use test/fixtures/tls (Chromium trusts that key alone).
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      'network.dns.localDomains': (options.hosts ?? ['site.test']).join(','),
      'network.trr.mode': 5,
      'media.peerconnection.ice.loopback': true,
      'media.peerconnection.ice.force_interface': 'lo',
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      // Nothing in the background: no captive portal, push, telemetry or safe-browsing lookups.
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'dom.push.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'toolkit.telemetry.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'browser.region.network.url': '',
      'browser.newtabpage.enabled': false,
      // A permission the extension asks for later is granted without a prompt no test could answer.
      'extensions.webextOptionalPermissionPrompts': false,
      ...options.prefs
    }
  })
  try {
    const built = resolve(options.extensionDir ?? 'dist-firefox')
    await browser.installExtension(options.optionalGranted === false ? built : await withPermissionsGranted(built, join(home, 'extension')))
  } catch (error) {
    await browser.close()
    throw error
  }
  const extensionOrigin = `moz-extension://${uuid}`
  return {
    browser,
    extensionOrigin,
    async openExtensionPage (path) {
      const page = await browser.newPage()
      // The page loads, but BiDi never reports the navigation to a moz-extension: URL as done,
      // so wait for the document itself instead of for goto.
      page.goto(`${extensionOrigin}/${path}`).catch(() => {})
      // Asked again and again: an evaluation that meets the document mid-switch fails, harmlessly.
      const until = Date.now() + 15_000
      while (!await page.evaluate(() => location.protocol === 'moz-extension:' && document.readyState === 'complete').catch(() => false)) {
        if (Date.now() > until) throw new Error(`Firefox did not open ${path}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return page
    },
    async close () {
      await browser.close()
      await rm(home, { recursive: true, force: true })
    }
  }
}
