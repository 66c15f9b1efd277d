// The built extensions, as each browser will read them: every file a manifest names is there.
import { existsSync, readFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

for (const dir of ['dist', 'dist-firefox']) {
  describe(dir, () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
    const named: string[] = [
      ...(manifest.background.scripts ?? [manifest.background.service_worker]),
      manifest.action.default_popup,
      manifest.options_ui.page,
      ...Object.values(manifest.icons as Record<string, string>),
      ...(manifest.sandbox?.pages ?? [])
    ]
    test.each(named)('has %s', (file) => { expect(existsSync(join(dir, file))).toBe(true) })
    test('exposes no page to the web: a site cannot frame or link the viewer or the sandbox', () => {
      // A web page that could load the viewer with a crafted ?url= could make it claim to show
      // "a copy of bank.example" (docs/security.md).
      expect(manifest.web_accessible_resources).toBeUndefined()
      expect(manifest.externally_connectable).toBeUndefined()
    })
    test('has the viewer and the WebTorrent bundle, and the sandbox page where the browser has sandbox pages (Chrome)', () => {
      for (const file of ['src/viewer/viewer.html', 'vendor/webtorrent.min.js']) {
        expect(existsSync(join(dir, file)), file).toBe(true)
      }
      expect(existsSync(join(dir, 'src/sandbox/sandbox.html'))).toBe(dir === 'dist')
    })
  })
}

// Outside CI the runner may fall back to no namespace (and says so); CI must never.
test.runIf(process.env.CI !== undefined)('under CI, the browser tests run in a network namespace that has only loopback', () => {
  expect(Object.keys(networkInterfaces())).toEqual(['lo'])
})
