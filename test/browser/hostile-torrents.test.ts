// Hostile torrents end to end (issue 8, case 8): an overloaded site names a torrent file that a
// malicious owner crafted; the viewer refuses each with its own message and shows nothing, in both
// browsers. The parser's own tests (protocol-torrents.test.ts) cover the same limits in Node.
import { resolve } from 'node:path'
import bencode from 'bencode'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startOrigin, type Origin } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

const MiB = 1024 * 1024

/** A torrent file with a hand-made info dictionary: what no honest tool produces. */
function forge (info: Record<string, unknown>, extra: Record<string, unknown> = {}): Uint8Array {
  const files = info.files as Array<{ length: number }> | undefined
  const total = (info.length as number | undefined) ?? files?.reduce((sum, file) => sum + file.length, 0) ?? 0
  const pieceLength = 4 * MiB
  return bencode.encode({
    announce: 'ws://127.0.0.1:9/',
    ...extra,
    info: { name: 'forged', 'piece length': pieceLength, pieces: new Uint8Array(20 * Math.ceil(total / pieceLength)), ...info }
  })
}

const HOSTILE: Array<{ name: string, bytes: Uint8Array, message: RegExp }> = [
  { name: 'climbs-out', bytes: forge({ files: [{ length: 1, path: ['..', '..', 'etc', 'passwd'] }] }), message: /torrent file was refused: .*\.\.\/\.\.\/etc\/passwd/ },
  { name: 'absolute', bytes: forge({ files: [{ length: 1, path: ['', 'etc', 'shadow'] }] }), message: /torrent file was refused: .*\/etc\/shadow/ },
  { name: 'not-utf8', bytes: forge({ files: [{ length: 1, path: [new Uint8Array([0x69, 0xff, 0xfe])] }] }), message: /torrent file was refused: .*not UTF-8/ },
  { name: 'many-files', bytes: forge({ files: Array.from({ length: 10_001 }, (_, i) => ({ length: 1, path: [`f${i}`] })) }), message: /holds 10,001 files; Peerback opens copies of at most 10,000/ },
  { name: 'too-big', bytes: forge({ length: 200 * MiB }), message: /The copy is 200 MiB, more than the 100 MiB Peerback is set to download/ },
  { name: 'huge-metadata', bytes: forge({ length: 1 }, { comment: 'x'.repeat(MiB) }), message: /larger than 1 MiB; Peerback does not read it/ }
]

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let site: Origin // overloaded: every answer is a 503 that names a torrent
  let files: Origin // where the site says its torrent files are

  beforeAll(async () => {
    site = await startOrigin({ root: resolve('test/fixtures/site') })
    await site.setMode('overloaded')
    files = await startOrigin({ root: resolve('test/fixtures/site') })
    for (const torrent of HOSTILE) files.setFile(`/${torrent.name}.torrent`, torrent.bytes)
    driver = await launch(name, ['hostile-owner.test', 'files.test'])
  })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([site?.stop(), files?.stop()])
  })

  test('each crafted torrent is refused with its own message, and nothing is shown', async () => {
    const tab = await driver.open(`http://files.test:${files.port}/`)
    try {
      for (const torrent of HOSTILE) {
        const url = `http://hostile-owner.test:${site.port}/?torrent=${torrent.name}`
        site.setHeaders({ 'X-Torrent': `http://files.test:${files.port}/${torrent.name}.torrent` })
        await tab.goto(url).catch(() => {})
        await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id }), { timeout: 20_000 })
          .toMatchObject({ phase: 'error', url, message: expect.stringMatching(torrent.message) })
      }
      expect(files.requests.filter((path) => path.endsWith('.torrent'))).toHaveLength(HOSTILE.length)
    } finally {
      await tab.close()
    }
  })
})
