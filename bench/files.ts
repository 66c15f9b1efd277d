// Benchmark 7: a 20 MB .tar.gz whose origin is down, saved to the downloads folder through the
// viewer — from one Node seeder (peers), from the site's two mirrors with no torrent (direct, in
// ranges, checked against the digest), and from both (the seeder, the mirrors feeding the torrent
// in ranges); the last two again with one of the two mirrors damaged — side by side, in one browser
// each run.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeTorrentRecords } from '../src/protocol/txt-records.ts'
import { pieceLengthFor } from '../src/publisher/make-torrent.ts'
import { startDoh, startOrigin, startSeeder, startTracker } from '../test/world/index.ts'
import { launchReader, momentsIn, sha1 } from './world.ts'

export interface FileRuns { bytes: number, peers: number[], mirrors: number[], both: number[], mirrorsDamaged: number[], bothDamaged: number[] }
const VARIANTS = ['peers', 'mirrors', 'both', 'mirrorsDamaged', 'bothDamaged'] as const
const HOSTS: Record<typeof VARIANTS[number], string> = { peers: 'peers', mirrors: 'mirrors', both: 'both', mirrorsDamaged: 'mirrors-damaged', bothDamaged: 'both-damaged' }

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
  // One byte flipped in every 16 KiB (test/world/origin.ts), beside a good mirror that answers the
  // viewer's probe 50 ms later: the damaged one is tried first, the worst case.
  const damaged = await startOrigin({ root: dir, corrupt: true })
  const laterGood = await startOrigin({ root: dir, probeAfterMs: 50 })
  const named = (servers: Array<{ url: string }>): Record<string, string[]> => ({ 'X-Mirrored-By': servers.map((mirror) => `${mirror.url}/release.tar.gz`) })
  // With no torrent, the mirrors' bytes are checked against the site's digest (X-MD5, on a 503).
  const md5 = { 'X-MD5': createHash('md5').update(content).digest('hex') }
  // peers: down, DNS names the torrent · mirrors: 503 naming the mirrors, no torrent · both: the two;
  // and the last two again with one mirror damaged.
  const origins = {
    peers: await startOrigin({ root: dir }),
    mirrors: await startOrigin({ root: dir, headers: { ...named(mirrors), ...md5 } }),
    both: await startOrigin({ root: dir, headers: named(mirrors) }),
    mirrorsDamaged: await startOrigin({ root: dir, headers: { ...named([damaged, laterGood]), ...md5 } }),
    bothDamaged: await startOrigin({ root: dir, headers: named([damaged, laterGood]) })
  }
  await origins.peers.setMode('down')
  for (const variant of ['mirrors', 'both', 'mirrorsDamaged', 'bothDamaged'] as const) await origins[variant].setMode('overloaded')
  const records = encodeTorrentRecords(seeder.torrentFile)
  if (!records.ok) throw records.error
  for (const variant of ['peers', 'both', 'bothDamaged'] as const) doh.setTxt(`${sha1('/release.tar.gz')}._torrent.${HOSTS[variant]}.test`, records.value)

  const result: FileRuns = { bytes: content.length, peers: [], mirrors: [], both: [], mirrorsDamaged: [], bothDamaged: [] }
  try {
    for (let run = 1; run <= runs; run++) {
      // The mirrors are on 127.0.0.1, a private host, which a public site may not name otherwise.
      const chromium = await launchReader(doh, { settings: { allowPrivateHosts: true } })
      try {
        for (const variant of VARIANTS) {
          const tab = await chromium.context.newPage()
          await tab.goto(`http://${HOSTS[variant]}.test:${origins[variant].port}/release.tar.gz`).catch(() => {})
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
    await Promise.all([...mirrors, damaged, laterGood, ...Object.values(origins)].map(async (origin) => { await origin.stop() }))
    await Promise.all([doh.stop(), tracker.stop()])
  }
  return result
}
