// Benchmark 7 (issue 9): a 20 MB .tar.gz whose origin is down, saved to the downloads folder
// through the viewer — from one Node seeder (peers), from the site's two mirrors with no torrent
// (direct, in ranges, checked against the digest), and from both (the seeder, with the mirrors
// joined as web seeds) — side by side, in one browser each run.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeTorrentRecords } from '../src/protocol/txt-records.ts'
import { pieceLengthFor } from '../src/publisher/make-torrent.ts'
import { startDoh, startOrigin, startSeeder, startTracker } from '../test/world/index.ts'
import { launchReader, momentsIn, sha1 } from './world.ts'

export interface FileRuns { bytes: number, peers: number[], mirrors: number[], both: number[] }
const VARIANTS = ['peers', 'mirrors', 'both'] as const

export async function filesBenchmark (runs: number, bytes = 20 * 1024 * 1024, log: (line: string) => void = () => {}): Promise<FileRuns> {
  const dir = await mkdtemp(join(tmpdir(), 'peerback-bench-files-'))
  await writeFile(join(dir, 'payload.bin'), randomBytes(bytes))
  const tarball = join(dir, 'release.tar.gz')
  execFileSync('tar', ['-czf', tarball, '-C', dir, 'payload.bin'])
  const content = await readFile(tarball)
  const tracker = await startTracker()
  const doh = await startDoh()
  // Pieces as `peerback publish` makes them for a file this large (src/publisher/make-torrent.ts).
  const seeder = await startSeeder({ input: [tarball], announce: [tracker.wsUrl], pieceLength: pieceLengthFor(content.length) })
  const mirrors = [await startOrigin({ root: dir }), await startOrigin({ root: dir })]
  // The file's SHA-256 is computed (and shown) whatever the site names; on a 503, a digest would be X-MD5.
  const named = { 'X-Mirrored-By': mirrors.map((mirror) => `${mirror.url}/release.tar.gz`) }
  // peers: down, DNS names the torrent · mirrors: 503 naming the mirrors, no torrent · both: the two.
  const origins = { peers: await startOrigin({ root: dir }), mirrors: await startOrigin({ root: dir, headers: named }), both: await startOrigin({ root: dir, headers: named }) }
  await origins.peers.setMode('down')
  await origins.mirrors.setMode('overloaded')
  await origins.both.setMode('overloaded')
  const records = encodeTorrentRecords(seeder.torrentFile)
  if (!records.ok) throw records.error
  for (const host of ['peers', 'both']) doh.setTxt(`${sha1('/release.tar.gz')}._torrent.${host}.test`, records.value)

  const result: FileRuns = { bytes: content.length, peers: [], mirrors: [], both: [] }
  try {
    for (let run = 1; run <= runs; run++) {
      // The mirrors are on 127.0.0.1, a private host, which a public site may not name otherwise.
      const chromium = await launchReader(doh, { settings: { allowPrivateHosts: true } })
      try {
        for (const variant of VARIANTS) {
          const tab = await chromium.context.newPage()
          await tab.goto(`http://${variant}.test:${origins[variant].port}/release.tar.gz`).catch(() => {})
          await tab.waitForFunction(() => location.pathname.endsWith('/viewer.html') && document.querySelector('#file .file-content[data-saved-as], .error') !== null, undefined, { timeout: 120_000, polling: 50 })
          const error = await tab.evaluate(() => document.querySelector('.error')?.textContent ?? null)
          if (error !== null) throw new Error(`${variant}: ${error}`)
          // From the viewer's start (the lookup included) to the file saved.
          const moments = await momentsIn(tab)
          result[variant].push((moments.rendered as number) - (moments['viewer-start'] as number))
          await tab.close()
        }
        log(`run ${run}/${runs}: ${VARIANTS.map((variant) => `${variant} ${result[variant].at(-1)?.toFixed(0)} ms`).join(', ')}`)
      } finally {
        await chromium.close()
      }
    }
  } finally {
    await seeder.stop()
    await Promise.all([...mirrors, ...Object.values(origins)].map(async (origin) => { await origin.stop() }))
    await Promise.all([doh.stop(), tracker.stop()])
  }
  return result
}
