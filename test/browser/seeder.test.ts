// `peerback seed` as a service that runs for months: several sites in one process, /stats and
// /metrics, SIGHUP after a publish (the republished torrents restart, the rest keep seeding), a
// clean SIGTERM, and a restart that does not hash unchanged files again. Real processes; in the
// browser project for its private network namespace (the seeders' WebRTC), though no browser runs.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTracker, type Tracker } from '../world/index.ts'
import { runPeerback, startPeerback } from '../world/peerback-process.ts'

const SITE = resolve('test/fixtures/site')
let work: string
let tracker: Tracker
const out = (site: string): string => join(work, `${site}-out`)

async function publish (site: string): Promise<void> {
  const run = await runPeerback(['publish', join(work, site), '--origin', `http://${site}.test/`, '--tracker', tracker.wsUrl, '--out', out(site)])
  expect(run.code, run.stderr).toBe(0)
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'peerback-seeder-'))
  tracker = await startTracker()
  for (const site of ['a', 'b']) {
    await cp(SITE, join(work, site), { recursive: true })
    await publish(site)
  }
})

afterAll(async () => {
  await tracker?.stop()
  await rm(work, { recursive: true, force: true })
})

test('two sites in one seeder: stats, metrics, a reload after a publish, a clean stop, and a restart without hashing again', async () => {
  const seed = await startPeerback(['seed', out('a'), out('b'), '--no-stun', '--stats-port', '0', '--interval', '0.5'], /Seeding 6 torrents/)
  let stopped = false
  try {
    const stats = /Stats: (http:\/\/\S+)\/stats and/.exec(seed.output.stdout)?.[1] as string
    expect(seed.output.stdout).not.toMatch(/as verified before/) // the first start hashes everything
    const figures = await (await fetch(`${stats}/stats`)).json() as { totals: { torrents: number }, torrents: Array<{ label: string, infoHash: string }> }
    expect(figures.totals.torrents).toBe(6)
    expect(figures.torrents.map((torrent) => torrent.label)).toContain('b.test torrents/pages/about/index.html.torrent')
    const metrics = await (await fetch(`${stats}/metrics`)).text()
    expect(metrics).toMatch(/^peerback_torrents 6$/m)
    expect(metrics).toMatch(/^peerback_peers\{torrent="a\.test torrents\/site\.torrent",info_hash="[0-9a-f]{40}"\} 0$/m)

    // Site b changes and is published again; SIGHUP: its two changed torrents restart, the rest go on.
    const aboutBefore = figures.torrents.find((torrent) => torrent.label === 'b.test torrents/pages/about/index.html.torrent')?.infoHash
    await writeFile(join(work, 'b', 'about', 'index.html'), (await readFile(join(work, 'b', 'about', 'index.html'), 'utf8')).replace('A small blog', 'A changed blog'))
    await publish('b')
    process.kill(seed.pid, 'SIGHUP')
    await expect.poll(() => seed.output.stdout, { timeout: 20_000 }).toMatch(/Reloaded: 2 republished, 0 new, 0 stopped; seeding 6\./)
    const after = await (await fetch(`${stats}/stats`)).json() as { torrents: Array<{ label: string, infoHash: string }> }
    const aboutAfter = after.torrents.find((torrent) => torrent.label === 'b.test torrents/pages/about/index.html.torrent')?.infoHash
    expect(aboutAfter).toMatch(/^[0-9a-f]{40}$/)
    expect(aboutAfter).not.toBe(aboutBefore)

    const finished = await seed.stop()
    stopped = true
    expect(finished.code).toBe(0)
    expect(finished.stdout).toMatch(/SIGTERM: stopping\./)
  } finally {
    if (!stopped) await seed.stop()
  }

  const again = await startPeerback(['seed', out('a'), out('b'), '--no-stun'], /Seeding 6 torrents/)
  try {
    expect(again.output.stdout).toMatch(/6 of 6 as verified before \(their files unchanged\): not hashed again\./)
  } finally {
    expect((await again.stop()).code).toBe(0)
  }
  // What publish wrote to keep it running.
  const unit = await readFile(join(out('a'), 'deploy', 'peerback-seed.service'), 'utf8')
  expect(unit).toContain(`ExecStart=/usr/bin/env npx --yes peerback seed ${out('a')} --stats-port 9301`)
  expect(unit).toContain('ExecReload=/bin/kill -HUP $MAINPID')
  expect(await readFile(join(out('a'), 'deploy', 'Containerfile'), 'utf8')).toMatch(/CMD \["peerback", "seed", "\/srv\/out", "--data", "\/srv\/site"/)
})
