// One manifest.json, two browsers: everything that differs between the Chrome and the Firefox
// manifest is decided here, at build time.

export type BrowserName = 'chrome' | 'firefox'

export const GECKO_ID = 'peerback@peerback.org'

/** Firefox 128 ESR: MV3 event pages, storage.session, webRequest without blocking. */
const FIREFOX_MIN_VERSION = '128.0'

export type Json = Record<string, unknown>

export function manifestFor (browser: BrowserName, base: Json): Json {
  const manifest = structuredClone(base)
  if (browser === 'chrome') return manifest

  // Firefox MV3 has no service workers for extensions: the background is an event page.
  const background = manifest.background as { service_worker: string, type?: string }
  manifest.background = { scripts: [background.service_worker], type: background.type }
  manifest.permissions = (manifest.permissions as string[]).filter((p) => p !== 'offscreen')
  // Firefox cannot grant the declarativeNetRequest permissions later (bug 1827855), and asks
  // nothing for them at install: they are asked for there, and only `downloads` waits.
  const later = manifest.optional_permissions as string[]
  const dnr = later.filter((p) => p.startsWith('declarativeNetRequest'))
  manifest.permissions = [...manifest.permissions as string[], ...dnr]
  manifest.optional_permissions = later.filter((p) => !dnr.includes(p))
  manifest.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      // Firefox 140+ asks the user at install. What leaves the browser: the host and a hash of the
      // path of a page that failed, to the DNS-over-HTTPS resolver; copies of pages, to other readers.
      data_collection_permissions: { required: ['browsingActivity', 'websiteContent'] }
    }
  }
  // `sandbox.pages` is unknown to the Firefox versions we support: the viewer uses an
  // <iframe sandbox="allow-scripts"> there instead (docs/security.md).
  delete manifest.sandbox
  // Firefox's default MV3 policy adds `upgrade-insecure-requests`, which makes the viewer's own
  // fetches of http:// torrents hang; a policy of our own leaves it out.
  const csp = manifest.content_security_policy as Json
  manifest.content_security_policy = { extension_pages: csp.extension_pages }
  return manifest
}
