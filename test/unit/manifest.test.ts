// The built manifests, for each browser: what each store and browser insists on.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { GECKO_ID, manifestFor } from '../../src/platform/manifest.ts'

const base = JSON.parse(readFileSync('manifest.json', 'utf8'))

describe('Chrome manifest', () => {
  const manifest = manifestFor('chrome', base)
  test('has a module service worker, the sandbox page and its CSP', () => {
    expect(manifest.background).toEqual({ service_worker: 'src/background/index.ts', type: 'module' })
    expect(manifest.sandbox).toEqual({ pages: ['src/sandbox/sandbox.html'] })
    expect((manifest.content_security_policy as Record<string, string>).sandbox).toMatch(/^sandbox allow-scripts;/)
    expect((manifest.content_security_policy as Record<string, string>).sandbox).not.toMatch(/allow-same-origin/)
  })
  test('declares popup, options page and icons', () => {
    expect(manifest.action).toMatchObject({ default_popup: 'src/popup/popup.html' })
    expect(manifest.options_ui).toMatchObject({ page: 'src/options/options.html' })
    expect(Object.keys(manifest.icons as object)).toEqual(['16', '32', '48', '128'])
  })
  test('asks at install only for what every reader uses; downloads and header rules wait for the feature that needs them', () => {
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'webNavigation', 'webRequest', 'offscreen', 'contextMenus'])
    expect(manifest.optional_permissions).toEqual(['downloads', 'declarativeNetRequestWithHostAccess'])
    expect(manifest.homepage_url).toMatch(/^https:\/\//)
  })
  test('a copy can be opened on purpose: the link menu item, and a keyboard shortcut with words in the catalog', () => {
    expect(manifest.permissions).toContain('contextMenus')
    expect(manifest.commands).toEqual({ 'open-copy': { suggested_key: { default: 'Alt+Shift+O' }, description: '__MSG_commandOpenCopy__' } })
    const catalog = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, unknown>
    expect(catalog.commandOpenCopy).toBeDefined()
  })
})

describe('Firefox manifest', () => {
  const manifest = manifestFor('firefox', base)
  test('has an event page, a gecko id and no offscreen permission', () => {
    expect(manifest.background).toEqual({ scripts: ['src/background/index.ts'], type: 'module' })
    expect(manifest.browser_specific_settings).toMatchObject({ gecko: { id: GECKO_ID, data_collection_permissions: { required: ['browsingActivity', 'websiteContent'] } } })
    expect(manifest.permissions).not.toContain('offscreen')
    expect(manifest.permissions).toEqual(expect.arrayContaining(['storage', 'webNavigation', 'webRequest']))
  })
  test('asks for header rules at install, where they prompt nothing and cannot be granted later; downloads wait', () => {
    expect(manifest.permissions).toContain('declarativeNetRequestWithHostAccess')
    expect(manifest.optional_permissions).toEqual(['downloads'])
  })
  test('sets its own extension-page CSP, without upgrade-insecure-requests', () => {
    expect(Object.keys(manifest.content_security_policy as object)).toEqual(['extension_pages'])
    expect((manifest.content_security_policy as Record<string, string>).extension_pages).not.toMatch(/upgrade-insecure-requests/)
    expect(manifest.sandbox).toBeUndefined()
  })
  test('leaves the base manifest untouched', () => {
    expect(base.background.service_worker).toBe('src/background/index.ts')
    expect(base.permissions).toContain('offscreen')
  })
})
