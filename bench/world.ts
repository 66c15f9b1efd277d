// What every browser benchmark needs: fixture sites of a given size, a published copy (seeder,
// DNS page record), and Chromium readers with the extension set to the loopback world.
import { createHash } from 'node:crypto'
import { createServer } from 'node:net'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { encodeTorrentRecords } from '../src/protocol/txt-records.ts'
import { launchChromium, startSeeder, type ChromiumWithExtension, type DohEndpoint, type Seeder, type Tracker } from '../test/world/index.ts'
import type { Moment } from '../src/lib/moments.ts'

export const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

/** A folder `site/` with `index.html` of about `bytes` bytes: readable text with a heading. */
export async function pageOfSize (bytes: number, title = 'Benchmark page'): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'peerback-bench-'))
  const dir = join(root, 'site')
  await mkdir(dir)
  const paragraph = '<p>Peerback keeps a page readable when its site goes down: readers fetch it from each other. </p>\n'
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1 id="title">${title}</h1>\n`
  const body = paragraph.repeat(Math.max(0, Math.floor((bytes - head.length - 20) / paragraph.length)))
  await writeFile(join(dir, 'index.html'), `${head}${body}</body></html>\n`)
  return dir
}

/** Seeds a site folder and publishes its page record for `host` + `path`. */
export async function publishCopy (siteDir: string, tracker: Tracker, doh: DohEndpoint, host: string, path = '/'): Promise<Seeder> {
  const seeder = await startSeeder({ input: siteDir, announce: [tracker.wsUrl], name: 'site' })
  const records = encodeTorrentRecords(seeder.torrentFile)
  if (!records.ok) throw records.error
  doh.setTxt(`${sha1(path)}._torrent.${host}`, records.value)
  return seeder
}

/** `settings`: more settings for this reader, beside the loopback world's. */
export async function launchReader (doh: DohEndpoint, options: { profileDir?: string, settings?: Record<string, unknown> } = {}): Promise<ChromiumWithExtension> {
  const chromium = await launchChromium({ ...(options.profileDir !== undefined && { profileDir: options.profileDir }) })
  const page = await chromium.context.newPage()
  await page.goto(`${chromium.extensionOrigin}/src/popup/popup.html`)
  const saved: { ok: boolean } = await page.evaluate(async (request) => await chrome.runtime.sendMessage({ to: 'background', name: 'updateSettings', request }), { dohResolver: doh.url, iceServers: [], ...options.settings })
  if (!saved.ok) throw new Error('the extension refused the benchmark settings')
  // The first-run page opens in a fresh profile: closed, so that every arm holds the same pages.
  // The background notes in storage.session that it decided; asked until it has, for at most 10 s.
  const decided = async (): Promise<boolean> => await page.evaluate(async () => (await chrome.storage.session.get('first-run'))['first-run'] !== undefined)
  for (const until = Date.now() + 10_000; !await decided();) {
    if (Date.now() > until) throw new Error('the extension never handled its install (no first-run decision in 10 s)')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  for (const tab of chromium.context.pages()) if (tab.url().endsWith('/src/welcome/welcome.html')) await tab.close()
  await page.close()
  return chromium
}

/** When each moment happened (epoch ms), as marked in a context's performance timeline. */
export async function momentsIn (context: { evaluate: Page['evaluate'] }): Promise<Partial<Record<Moment, number>>> {
  return await context.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((mark) => mark.name.startsWith('peerback:'))
    .map((mark) => [mark.name.slice('peerback:'.length), performance.timeOrigin + mark.startTime])))
}

/** Navigates a tab to a failing URL and waits until the viewer shows the copy. */
export async function failOverTo (page: Page, url: string, timeoutMs = 30_000): Promise<void> {
  await page.goto(url).catch(() => {}) // it fails: that is the point
  const until = Date.now() + timeoutMs
  while (!page.url().includes('/src/viewer/viewer.html?')) {
    if (Date.now() > until) throw new Error(`${url}: no viewer within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Showing the copy') === true, undefined, { timeout: timeoutMs, polling: 10 })
}

/** A loopback port nothing listens on (Chromium refuses well-known closed ports like 9 as unsafe). */
export async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
