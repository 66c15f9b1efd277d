// What each extension page loads, as built: the house rule (docs/design.md) keeps the background's
// code out of the viewer and the torrent parser out of the popup. Sizes are printed, not asserted
// (docs/benchmarks.md is where sizes are tracked).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const PAGES = ['viewer', 'popup', 'options', 'prefetch', 'sandbox'] as const
/** Code only the background has: its storage keys, and discovery's DNS step. */
const BACKGROUND_CODE = [/tab-discovery:/, /non-get:/, /left-copy:/, /\[\[[`'"]dns-page[`'"]/]
/** parse-torrent's own words. */
const TORRENT_PARSER = 'Invalid torrent identifier'

/** Every script loaded from `entries` up front: they and their static imports, transitively. */
function closure (dir: string, entries: string[]): string[] {
  const queue = [...entries]
  const seen = new Set<string>()
  while (queue.length > 0) {
    const file = queue.shift() as string
    if (seen.has(file)) continue
    seen.add(file)
    const code = readFileSync(join(dir, file), 'utf8')
    for (const match of code.matchAll(/(?:import|from)\s*["'](?:\.\/)?((?:assets\/)?[^"'/]+\.js)["']/g)) {
      const next = match[1] as string
      queue.push(next.startsWith('assets/') ? next : `assets/${next}`)
    }
  }
  return [...seen]
}

/** A page's scripts: its module scripts, and what they import. */
const pageScripts = (dir: string, page: string): string[] =>
  closure(dir, [...readFileSync(join(dir, `src/${page}/${page}.html`), 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1] as string))

/** The background's scripts: what the manifest names, and what they import. */
function backgroundCode (dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { background: { service_worker?: string, scripts?: string[] } }
  return closure(dir, manifest.background.scripts ?? [manifest.background.service_worker as string]).map((file) => readFileSync(join(dir, file), 'utf8')).join('\n')
}

for (const dir of ['dist', 'dist-firefox']) {
  describe.runIf(existsSync(join(dir, 'manifest.json')))(dir, () => {
    const code = (page: string): string => pageScripts(dir, page).map((file) => readFileSync(join(dir, file), 'utf8')).join('\n')
    // Firefox has no sandbox pages: its build leaves the sandbox page out (vite.config.ts).
    const pages: string[] = PAGES.filter((page) => page !== 'sandbox' || dir === 'dist')

    test('each page\'s scripts, and their weight', () => {
      for (const page of pages) {
        const files = pageScripts(dir, page)
        expect(files.length, page).toBeGreaterThan(0)
        const bytes = files.reduce((sum, file) => sum + readFileSync(join(dir, file)).length, 0)
        console.log(`${dir}: ${page} loads ${files.length} scripts, ${(bytes / 1024).toFixed(1)} KiB`)
      }
    })

    test('no page but the background carries the background\'s code', () => {
      expect(BACKGROUND_CODE.every((marker) => marker.test(backgroundCode(dir))), 'the markers are in the background').toBe(true)
      for (const page of pages) for (const marker of BACKGROUND_CODE) expect(marker.test(code(page)), `${page}: ${String(marker)}`).toBe(false)
    })

    test('the popup, the options page and the sandbox carry no torrent parser', () => {
      for (const page of ['popup', 'options', 'sandbox'].filter((page) => pages.includes(page))) expect(code(page).includes(TORRENT_PARSER), page).toBe(false)
    })
  })
}
