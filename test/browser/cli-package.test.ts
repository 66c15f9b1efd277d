// The command line as a site owner installs it: `npm pack` of cli/ (built to one JavaScript file),
// installed into an empty directory with nothing but its own dependencies, then --version, publish,
// seed and check from there, against Debian's nginx serving what it published. In the browser
// project for its private network namespace (the seeder's WebRTC), though no browser runs; the
// install is offline, from tarballs of the packages already here.
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { txtRecordsOfZone } from '../../src/publisher/zone-file.ts'
import { freePort, startDoh, startNginx, startTracker, type DohEndpoint, type Nginx, type Tracker } from '../world/index.ts'
import { runPeerback, startPeerback } from '../world/peerback-process.ts'

const run = promisify(execFile)
const SITE = resolve('test/fixtures/site')
let work: string
let installed: string
let bin: string
let tracker: Tracker
let doh: DohEndpoint
let nginx: Nginx | undefined

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'peerback-package-'))
  await chmod(work, 0o755) // nginx's workers drop root
  await run('npx', ['vite', 'build', '--config', 'vite.cli.config.ts'])
  const tarballs = join(work, 'tarballs')
  await mkdir(tarballs)
  const pack = async (folder: string): Promise<string> => {
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', tarballs, folder])
    return join(tarballs, stdout.trim().split('\n').at(-1) as string)
  }
  const packages = [await pack(resolve('cli')), await pack(resolve('node_modules/@roamhq/wrtc')), await pack(resolve(`node_modules/@roamhq/wrtc-${process.platform}-${process.arch}`))]
  installed = join(work, 'site-owner')
  await mkdir(installed)
  await writeFile(join(installed, 'package.json'), '{ "name": "site-owner", "private": true }\n')
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...packages], { cwd: installed })
  bin = join(installed, 'node_modules', 'peerback', 'dist', 'peerback.js')
  tracker = await startTracker()
  doh = await startDoh()
}, 120_000)

afterAll(async () => {
  await Promise.all([nginx?.stop(), doh?.stop(), tracker?.stop()])
  await rm(work, { recursive: true, force: true })
})

test('installed from its tarball alone, peerback says its version, publishes, seeds and checks', async () => {
  const { stdout: version } = await run('npx', ['--offline', 'peerback', '--version'], { cwd: installed })
  const { version: expected } = JSON.parse(await readFile('cli/package.json', 'utf8')) as { version: string }
  expect(version).toBe(`peerback ${expected}\n`)
  const { stdout: size } = await run('du', ['-sk', join(installed, 'node_modules')])
  const { stdout: own } = await run('du', ['-sk', join(installed, 'node_modules', 'peerback')])
  console.log(`installed: node_modules ${Math.round(Number(size.split('\t')[0]) / 1024)} MiB, of which peerback ${Math.round(Number(own.split('\t')[0]) / 1024 * 10) / 10} MiB`)
  expect(await readFile(join(installed, 'node_modules', 'peerback', 'package.json'), 'utf8')).not.toMatch(/devDependencies/)

  const port = await freePort()
  const out = join(work, 'out')
  const published = await runPeerback(['publish', SITE, '--origin', `http://localhost:${port}/`, '--tracker', tracker.wsUrl, '--out', out], { bin, cwd: installed })
  expect(published.code, published.stderr).toBe(0)
  for (const record of txtRecordsOfZone(await readFile(join(out, '_torrent.zone'), 'utf8'))) doh.setTxt(record.name, [record.strings])
  nginx = await startNginx({ root: SITE, torrents: join(out, 'torrents'), snippet: join(out, 'headers', 'nginx.conf'), port })

  const seed = await startPeerback(['seed', out, '--no-stun'], /Seeding 3 torrents/, { bin, cwd: installed })
  try {
    const checked = await runPeerback(['check', `${nginx.url}about/`, '--resolver', doh.url], { bin, cwd: installed })
    expect(checked.code, checked.stdout + checked.stderr).toBe(0)
    expect(checked.stdout).toMatch(/^✓ tracker: ws:\/\/\S+: [1-9]\d* seeders/m)
    expect(checked.stdout).toMatch(/All 9 checks passed\./)
  } finally {
    expect((await seed.stop()).code).toBe(0)
  }
})
