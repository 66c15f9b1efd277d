// `npm run demo`: the whole story on this machine, on loopback. A small blog is published with
// `peerback publish`; tracker, DoH resolver and seeder run as `peerback` processes; Chromium with
// the extension reads the blog, the blog goes down, and the page comes back from peers.
// Headed when a display is available (the browser stays open until Enter), else headless with
// screenshots. Every process it starts is stopped at the end, on failure and on Ctrl-C too.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import type { Page } from 'playwright-core'
import { launchChromium, startOrigin, type ChromiumWithExtension } from '../test/world/index.ts'
import { runPeerback, startPeerback, type Running } from '../test/world/peerback-process.ts'
import { formatDuration } from '../src/protocol/format.ts'

const SITE = resolve(import.meta.dirname, 'site')
const OUTPUT = resolve('demo-output')
const HOST = 'blog.test'
const headless = process.argv.includes('--headless') || (process.env.DISPLAY ?? process.env.WAYLAND_DISPLAY ?? '') === ''
const started = Date.now()
const cleanups: Array<() => Promise<unknown>> = []
const report: string[] = []

const say = (text: string): void => { console.log(`[${formatDuration(Date.now() - started).padStart(9)}] ${text}`) }
const note = (text: string): void => { report.push(text); say(text) }

async function demo (): Promise<void> {
  await mkdir(OUTPUT, { recursive: true })
  const work = await mkdtemp(join(tmpdir(), 'peerback-demo-'))
  cleanups.push(async () => await rm(work, { recursive: true, force: true }))
  say(process.env.PEERBACK_NETNS === '1'
    ? 'In a private network namespace: nothing leaves loopback.'
    : 'No private network namespace (see above): everything still listens on loopback only.')

  const origin = await startOrigin({ root: SITE })
  cleanups.push(async () => await origin.stop())
  const site = `http://${HOST}:${origin.port}`
  say(`The blog is up at ${site}/ (served from demo/site/).`)

  const tracker = await background(['tracker', '--port', '0'], /WebSocket: +ws:\/\/\S+/)
  const trackerUrl = /WebSocket: +(ws:\/\/\S+)/.exec(tracker.output.stdout)?.[1] as string
  say(`peerback tracker: ${trackerUrl}`)

  const out = join(work, 'published')
  const publishStarted = Date.now()
  const published = await runPeerback(['publish', SITE, '--origin', `${site}/`, '--tracker', trackerUrl, '--out', out])
  if (published.code !== 0) throw new Error(`peerback publish failed:\n${published.stderr}`)
  const torrents = (published.stdout.match(/^(site|page) /gm) ?? []).length
  note(`peerback publish: ${torrents} torrents and their _torrent DNS records in ${formatDuration(Date.now() - publishStarted)}.`)
  console.log(published.stdout.split('\n').filter((line) => /^(scope|-----|site|page) /.test(line)).map((line) => `         ${line}`).join('\n'))

  const doh = await background(['doh', '--zone', join(out, '_torrent.zone'), '--port', '0'], /dns-query/)
  const resolverUrl = /http:\/\/\S+\/dns-query/.exec(doh.output.stdout)?.[0] as string
  say(`peerback doh: the records are served at ${resolverUrl}`)
  const seed = await background(['seed', out, '--no-stun', '--interval', '0.5'], /Seeding \d+ torrents/)
  say('peerback seed: seeding the site from its own files.')

  say(`Starting Chromium with the extension (${headless ? 'headless' : 'on your display'})…`)
  const chromium = await launchChromium({ headless, hostRules: `MAP ${HOST} 127.0.0.1` })
  cleanups.push(async () => await chromium.close())
  await configure(chromium, { dohResolver: resolverUrl, iceServers: [] })

  const reader = await chromium.context.newPage()
  await reader.setViewportSize({ width: 1000, height: 700 })
  const upStarted = Date.now()
  await reader.goto(`${site}/posts/traffic-spike/`)
  note(`1. A reader opens the post while the blog is up: loaded in ${Date.now() - upStarted} ms.`)
  await shot(reader, '1-blog-up.png')

  await origin.setMode('down')
  note('2. The blog goes down (connection refused). The reader opens the post again.')
  const downStarted = Date.now()
  await reader.goto(`${site}/posts/traffic-spike/`).catch(() => {}) // it fails: that is the point
  await reader.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Showing the copy'), undefined, { timeout: 60_000 })
  const copy = reader.mainFrame().childFrames()[0]
  const title = await copy?.textContent('#title')
  if (title !== 'What happened when the post went viral') throw new Error(`the copy shows ${JSON.stringify(title)}, not the post`)
  const source = await reader.textContent('#source')
  note(`3. Peerback shows the post from peers ${formatDuration(Date.now() - downStarted)} after the failed navigation (found by: ${source?.trim() ?? '?'}).`)
  await shot(reader, '2-copy-from-peers.png')

  const tabId = await reader.evaluate(async () => (await chrome.tabs.getCurrent())?.id ?? -1)
  const popup = await chromium.context.newPage()
  await popup.setViewportSize({ width: 360, height: 420 })
  await popup.goto(`${chromium.extensionOrigin}/src/popup/popup.html?tab=${tabId}`)
  await popup.waitForFunction(() => (document.getElementById('stat-peers')?.textContent ?? '') !== '', undefined, { timeout: 15_000 })
  const stat = async (id: string): Promise<string> => (await popup.textContent(`#${id}`))?.trim() ?? '?'
  note(`4. The reader's popup: ${await stat('status')} Peers: ${await stat('stat-peers')}; downloaded ${await stat('stat-down')}; uploaded ${await stat('stat-up')}.`)
  await shot(popup, '3-popup.png')
  await popup.close()

  const seederLine = [...seed.output.stdout.matchAll(/^peers .*$/gm)].pop()?.[0] ?? 'no status yet'
  note(`5. The site's seeder (peerback seed): ${seederLine.replace(/\s+/g, ' ')}.`)

  const reportPath = join(OUTPUT, 'report.txt')
  await writeFile(reportPath, `Peerback demo, ${new Date().toISOString()}\n\n${report.join('\n')}\n`)
  say(`Report and screenshots: ${relative(process.cwd(), OUTPUT)}/`)

  if (!headless && process.stdin.isTTY === true) {
    const prompt = createInterface({ input: process.stdin, output: process.stdout })
    await prompt.question('The browser stays open: look around, then press Enter to stop everything. ')
    prompt.close()
  }
}

/** A `peerback` command running until the demo ends. */
async function background (args: string[], ready: RegExp): Promise<Running> {
  const running = await startPeerback(args, ready)
  cleanups.push(async () => await running.stop())
  return running
}

/** Settings as the options page would save them, through the extension's own message. */
async function configure (chromium: ChromiumWithExtension, settings: Record<string, unknown>): Promise<void> {
  const page = await chromium.context.newPage()
  await page.goto(`${chromium.extensionOrigin}/src/options/options.html`)
  const saved: { ok: boolean, message?: string } = await page.evaluate(async (request) => await chrome.runtime.sendMessage({ to: 'background', name: 'updateSettings', request }), settings)
  if (!saved.ok) throw new Error(`the extension refused the demo's settings: ${saved.message ?? 'no reason given'}`)
  await page.close()
}

async function shot (page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUTPUT, name) })
}

async function cleanUp (): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(`cleanup: ${String(error)}`))
  cleanups.length = 0
}

process.once('SIGINT', () => {
  say('Ctrl-C: stopping everything.')
  void cleanUp().then(() => process.exit(130))
})

try {
  await demo()
  await cleanUp()
  say('Done: every process the demo started has stopped.')
} catch (error) {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`)
  await cleanUp()
  process.exitCode = 1
}
