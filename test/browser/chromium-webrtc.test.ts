/// <reference types="chrome" />
// A Node seeder and the extension's own WebTorrent bundle, running in a Chromium extension page,
// exchange a multi-file torrent over WebRTC through the local tracker — on loopback only.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium, startSeeder, startTracker, type ChromiumWithExtension, type Seeder, type Tracker } from '../world/index.ts'

let chromium: ChromiumWithExtension
let tracker: Tracker
let seeder: Seeder
let folder: string
const files: Record<string, Buffer> = {
  'notes.txt': Buffer.from('Served by a Node peer over WebRTC.\n'),
  'pages/index.html': Buffer.from('<!doctype html><title>Copy</title><p>From peers.</p>\n'),
  'data.bin': randomBytes(300 * 1024)
}
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'peerback-torrent-'))
  const root = join(folder, 'fixture')
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), bytes)
  }
  tracker = await startTracker()
  seeder = await startSeeder({ input: root, announce: [tracker.wsUrl], pieceLength: 16 * 1024 })
  chromium = await launchChromium()
})

afterAll(async () => {
  await chromium?.close()
  await seeder?.stop()
  await tracker?.stop()
  if (folder !== undefined) await rm(folder, { recursive: true, force: true })
})

interface Download {
  files: Array<{ path: string, bytes: number[] }>
  pairs: Array<{ local: string, remote: string }>
}

test('an extension page downloads a multi-file torrent from a Node peer over loopback WebRTC', async () => {
  const page = await chromium.context.newPage()
  await page.goto(`${chromium.extensionOrigin}/src/viewer/viewer.html`)
  // Every peer connection the page opens, to ask it afterwards which addresses it used. Patched
  // before WebTorrent loads: its bundle keeps a reference to the constructor.
  await page.evaluate(() => {
    const connections: RTCPeerConnection[] = (globalThis as any).peerConnections = []
    globalThis.RTCPeerConnection = class extends RTCPeerConnection {
      constructor (config?: RTCConfiguration) {
        super(config)
        connections.push(this)
      }
    }
  })
  // The very bundle the extension ships, loaded as the viewer will. A string, so that vitest
  // does not rewrite the dynamic import in the function below.
  await page.evaluate("globalThis.loadingWebTorrent = import(chrome.runtime.getURL('vendor/webtorrent.min.js'))")

  const download = await page.evaluate(async ({ magnetURI, announce }): Promise<Download> => {
    const connections: RTCPeerConnection[] = (globalThis as any).peerConnections
    const { default: WebTorrent } = await (globalThis as any).loadingWebTorrent
    const client = new WebTorrent({ tracker: { rtcConfig: { iceServers: [] } } })
    const torrent = await new Promise<any>((resolve, reject) => {
      client.on('error', reject)
      client.add(magnetURI, { announce }, (added: any) => {
        if (added.done) resolve(added)
        else added.on('done', () => resolve(added))
      })
    })
    const files = await Promise.all(torrent.files.map(async (file: any) => ({
      path: file.path as string,
      bytes: Array.from(new Uint8Array(await file.arrayBuffer()))
    })))
    // The ICE candidate pair each connected peer connection actually uses.
    const pairs = []
    for (const connection of connections.filter((c) => c.connectionState === 'connected')) {
      const stats = await connection.getStats()
      for (const report of stats.values()) {
        if (report.type !== 'transport' || report.selectedCandidatePairId === undefined) continue
        const pair = stats.get(report.selectedCandidatePairId)
        pairs.push({ local: stats.get(pair.localCandidateId).address, remote: stats.get(pair.remoteCandidateId).address })
      }
    }
    client.destroy()
    return { files, pairs }
  }, { magnetURI: seeder.magnetURI, announce: [tracker.wsUrl] })

  const received = Object.fromEntries(download.files.map((file) => [file.path, sha256(Uint8Array.from(file.bytes))]))
  expect(received).toEqual(Object.fromEntries(Object.entries(files).map(([path, bytes]) => [`fixture/${path}`, sha256(bytes)])))

  expect(download.pairs.length).toBeGreaterThan(0)
  for (const pair of download.pairs) {
    expect(['127.0.0.1', '::1']).toContain(pair.local)
    expect(['127.0.0.1', '::1']).toContain(pair.remote)
  }
  expect(seeder.torrent.uploaded).toBeGreaterThanOrEqual(Object.values(files).reduce((sum, bytes) => sum + bytes.length, 0))
  expect([...seeder.problems, ...tracker.problems]).toEqual([])
  await page.close()
})
