// Chromium with the built extension loaded, driven by Playwright, in a profile and HOME of its own.
import { createHash, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Worker } from 'playwright-core'
import { findChromium } from './find-browser.ts'
import { withPermissionsGranted } from './granted.ts'

export interface ChromiumWithExtension {
  readonly context: BrowserContext
  readonly extensionId: string
  /** `chrome-extension://<id>` */
  readonly extensionOrigin: string
  /** Chromium's --user-data-dir. */
  readonly profileDir: string
  /** The extension's background service worker (a fresh one after a restart). */
  serviceWorker: () => Promise<Worker>
  close: () => Promise<void>
}

// Playwright's own --disable-features list, plus ours: Chromium honours only the last
// --disable-features flag, so one flag carries them all.
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'OptimizationHints',
  'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  // Loopback WebRTC needs real host candidates, not mDNS names.
  'WebRtcHideLocalIpsWithMdns', 'DialMediaRouteProvider', 'Translate', 'AutofillServerCommunication'
]

export interface LaunchOptions {
  /** The unpacked extension; default `dist/`. */
  extensionDir?: string
  /** Host names resolved to 127.0.0.1, as `MAP` rules; default every `*.test` name. */
  hostRules?: string
  headless?: boolean
  /** A profile to reuse across launches (kept on close); default a fresh one, removed on close. */
  profileDir?: string
  /** Whether the reader granted the optional permissions (granted.ts); default yes. */
  optionalGranted?: boolean
  /**
   * The browser's interface language, which the extension's catalog follows (`--lang`, and
   * LANGUAGE, which Chromium on Linux reads; Debian's chromium-l10n has the languages); default English.
   */
  locale?: string
  /** Whether the extension's worker registers listeners, waited for at launch; default yes. */
  listens?: boolean
}

/** The same Chromium, flags and world without the extension: the baseline of the benchmarks. */
export async function launchPlainChromium (options: Omit<LaunchOptions, 'extensionDir'> = {}): Promise<{ context: BrowserContext, profileDir: string, close: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'peerback-chromium-'))
  const profileDir = options.profileDir ?? join(home, 'profile')
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: findChromium(),
    headless: options.headless ?? true,
    env: { ...process.env, HOME: home },
    args: commonArgs(options)
  })
  return { context, profileDir, async close () { await context.close(); await rm(home, { recursive: true, force: true }) } }
}

/** The test world's certificate (test/fixtures/tls, for *.test): trusted by its key, and by nothing else. */
export const TEST_TLS = { key: readFileSync('test/fixtures/tls/key.pem', 'utf8'), cert: readFileSync('test/fixtures/tls/cert.pem', 'utf8') }
const testCertificateSpki = createHash('sha256').update(new X509Certificate(TEST_TLS.cert).publicKey.export({ type: 'spki', format: 'der' })).digest('base64')

/** The flags every Chromium of the test world runs with (Playwright adds its own on top). */
export function commonArgs (options: LaunchOptions): string[] {
  return [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--host-resolver-rules=${options.hostRules ?? 'MAP *.test 127.0.0.1'}`,
    '--allow-loopback-in-peer-connection',
    `--ignore-certificate-errors-spki-list=${testCertificateSpki}`,
    `--disable-features=${DISABLED_FEATURES.join(',')}`
  ]
}

export async function launchChromium (options: LaunchOptions = {}): Promise<ChromiumWithExtension> {
  const home = await mkdtemp(join(tmpdir(), 'peerback-chromium-'))
  const profileDir = options.profileDir ?? join(home, 'profile')
  // An unpacked extension's id comes from its path: a profile reused across launches keeps its copy.
  const built = resolve(options.extensionDir ?? 'dist')
  const extensionDir = options.optionalGranted === false ? built : options.profileDir !== undefined
    ? await withPermissionsGranted(built, join(options.profileDir, 'peerback-extension'))
    : await withPermissionsGranted(built, join(home, 'extension'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: findChromium(),
    headless: options.headless ?? true,
    env: { ...process.env, HOME: home, ...(options.locale !== undefined && { LANGUAGE: options.locale }) },
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...commonArgs(options), ...(options.locale !== undefined ? [`--lang=${options.locale}`] : [])]
  })

  const serviceWorker = async (): Promise<Worker> =>
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      await context.waitForEvent('serviceworker', { timeout: 15_000 })
  const worker = await serviceWorker()
  const extensionId = new URL(worker.url()).host
  // The worker shows up before its script has run: wait until it listens, or a first navigation
  // made right after launch would pass unseen.
  const until = Date.now() + 15_000
  while (options.listens !== false && !await worker.evaluate(() => (globalThis as { chrome?: { webRequest?: { onHeadersReceived: { hasListeners: () => boolean } } } })
    .chrome?.webRequest?.onHeadersReceived.hasListeners() === true).catch(() => false)) {
    if (Date.now() > until) throw new Error('the extension\'s service worker registered no listeners within 15 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  return {
    context,
    extensionId,
    extensionOrigin: `chrome-extension://${extensionId}`,
    profileDir,
    serviceWorker,
    async close () {
      await context.close()
      await rm(home, { recursive: true, force: true })
    }
  }
}
