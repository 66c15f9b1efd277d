// `peerback check` against a deployment in the test world, as a site owner runs it: the published
// site behind Debian's nginx with the header snippet `peerback publish` wrote, the records served
// over DoH, a tracker where a seeder announced. All green, then one thing broken at a time.
import { createServer, type Server } from 'node:http'
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { checkDeployment, type CheckItem } from '../../src/publisher/check.ts'
import type { SeedManifest } from '../../src/publisher/publish.ts'
import { txtRecordsOfZone } from '../../src/publisher/zone-file.ts'
import { freePort, nodeResolverOf, startBind, startDoh, startNginx, startTracker, type DohEndpoint, type Nginx, type Tracker } from '../world/index.ts'
import { runPeerback } from '../world/peerback-process.ts'

const SITE = resolve('test/fixtures/site')
let work: string
let out: string
let nginx: Nginx
let doh: DohEndpoint
let tracker: Tracker
let overload: Server
let manifest: SeedManifest
let zone: string

/** A seeder's announce, over the tracker's HTTP side (the tracker keeps one swarm per torrent). */
async function announceSeeder (infoHash: string, event = 'started'): Promise<void> {
  const bytes = (hex: string): string => hex.match(/../g)?.map((pair) => `%${pair}`).join('') ?? ''
  const response = await fetch(`${tracker.httpUrl}?info_hash=${bytes(infoHash)}&peer_id=${bytes('2d5042303030312d' + 'a'.repeat(24))}&port=6881&uploaded=0&downloaded=0&left=0&event=${event}&compact=1`)
  expect(response.status).toBe(200)
}

const failed = (items: CheckItem[]): string[] => items.filter((item) => !item.ok).map((item) => item.name)

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'peerback-check-'))
  await chmod(work, 0o755) // nginx's workers drop root: they must reach the published torrents
  out = join(work, 'out')
  tracker = await startTracker()
  doh = await startDoh()
  // The port is fixed first: the published torrents name the origin as their web seed.
  const port = await freePort()
  const published = await runPeerback(['publish', SITE, '--origin', `http://localhost:${port}/`, '--tracker', tracker.wsUrl, '--out', out])
  expect(published.code, published.stderr).toBe(0)
  manifest = JSON.parse(await readFile(join(out, 'peerback.json'), 'utf8')) as SeedManifest
  zone = await readFile(join(out, '_torrent.zone'), 'utf8')
  for (const record of txtRecordsOfZone(zone)) doh.setTxt(record.name, [record.strings])
  nginx = await startNginx({ root: SITE, torrents: join(out, 'torrents'), snippet: join(out, 'headers', 'nginx.conf'), port })
  for (const entry of manifest.torrents) await announceSeeder(entry.infoHash)
  overload = createServer((_request, response) => {
    response.writeHead(503, { 'X-Torrent': '/peerback/pages/index.html.torrent', 'Retry-After': '120' }).end('busy')
  })
  await new Promise<void>((done) => overload.listen(0, '127.0.0.1', done))
}, 60_000)

afterAll(async () => {
  await Promise.all([nginx?.stop(), doh?.stop(), tracker?.stop(), new Promise((done) => overload?.close(done))])
  await rm(work, { recursive: true, force: true })
})

const overloadUrl = (): string => `http://127.0.0.1:${(overload.address() as { port: number }).port}/`

test('a working deployment passes every check', async () => {
  const items = await checkDeployment(`${nginx.url}about/`, { resolver: doh.url, overload: overloadUrl() })
  expect(items.map((item) => item.name)).toEqual(['page', 'pointer headers', 'digest headers', 'torrent', 'DNS page record', 'DNS site record', 'DNS matches headers', 'tracker', 'web seed', 'overload answer'])
  expect(failed(items), JSON.stringify(items, null, 2)).toEqual([])
})

// The command's own process starts with tsx: seconds on a busy machine.
test('the command prints the checklist and exits 0; --json says the same for scripts', { timeout: 30_000 }, async () => {
  const run = await runPeerback(['check', `${nginx.url}about/`, '--resolver', doh.url])
  expect(run.code, run.stdout + run.stderr).toBe(0)
  expect(run.stdout).toMatch(/^✓ page: HTTP 200$/m)
  expect(run.stdout).toMatch(/^✓ tracker: ws:\/\/\S+: 1 seeders, 0 leechers$/m)
  expect(run.stdout).toMatch(/\nAll 9 checks passed\.\n$/)
  const json = await runPeerback(['check', `${nginx.url}about/`, '--resolver', doh.url, '--json'])
  expect(JSON.parse(json.stdout)).toMatchObject({ passed: true, checks: expect.arrayContaining([{ name: 'web seed', ok: true, detail: expect.stringMatching(/matches its hash/) }]) })
})

test('headers not deployed: the pointer and digest checks fail and say to include the snippet', { timeout: 30_000 }, async () => {
  await writeFile(join(work, 'no-headers.conf'), '# the snippet was never included\n')
  const bare = await startNginx({ root: SITE, torrents: join(out, 'torrents'), snippet: join(work, 'no-headers.conf') })
  try {
    const items = await checkDeployment(`${bare.url}about/`, { resolver: doh.url })
    expect(failed(items)).toEqual(['pointer headers', 'digest headers'])
    expect(items.find((item) => item.name === 'pointer headers')?.fix).toMatch(/Include the snippet from <out>\/headers\//)
    const run = await runPeerback(['check', `${bare.url}about/`, '--resolver', doh.url])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^✗ pointer headers: no X-Torrent or Link rel=describedby header\n {4}→ Include the snippet/m)
    expect(run.stdout).toMatch(/\n2 of 7 checks failed\.\n$/)
  } finally {
    await bare.stop()
  }
})

test('the torrent not uploaded: the torrent check fails with the HTTP status', async () => {
  const missing = await startNginx({ root: SITE, torrents: join(work, 'nowhere'), snippet: join(out, 'headers', 'nginx.conf') })
  try {
    const items = await checkDeployment(`${missing.url}about/`, { resolver: doh.url })
    expect(failed(items)).toEqual(['torrent'])
    expect(items.find((item) => item.name === 'torrent')?.detail).toMatch(/HTTP 404$/)
  } finally {
    await missing.stop()
  }
})

test('DNS names another torrent than the headers, or nothing at all', async () => {
  const pageName = (await import('../../src/protocol/dns-names.ts').then(async ({ torrentRecordNames }) => await torrentRecordNames(`${nginx.url}about/`)))
  if (!pageName.ok) throw pageName.error
  const siteRecord = txtRecordsOfZone(zone).find((record) => record.name === pageName.value.site)
  const pageRecord = txtRecordsOfZone(zone).find((record) => record.name === pageName.value.page)
  if (siteRecord === undefined || pageRecord === undefined) throw new Error('no records published')
  doh.setTxt(pageName.value.page, [siteRecord.strings])
  try {
    const items = await checkDeployment(`${nginx.url}about/`, { resolver: doh.url })
    expect(failed(items)).toEqual(['DNS matches headers'])
    expect(items.find((item) => item.name === 'DNS matches headers')?.fix).toMatch(/new headers first, then new DNS records/)
  } finally {
    doh.setTxt(pageName.value.page, [pageRecord.strings])
  }
  const empty = await startDoh()
  try {
    expect(failed(await checkDeployment(`${nginx.url}about/`, { resolver: empty.url }))).toEqual(['DNS page record', 'DNS site record'])
  } finally {
    await empty.stop()
  }
})

test('no seeder at the tracker: the tracker check fails and says to keep one running', async () => {
  const about = manifest.torrents.find((entry) => entry.url.endsWith('/about/'))?.infoHash as string
  await announceSeeder(about, 'stopped')
  try {
    const items = await checkDeployment(`${nginx.url}about/`, { resolver: doh.url })
    expect(failed(items)).toEqual(['tracker'])
    expect(items.find((item) => item.name === 'tracker')).toMatchObject({ detail: expect.stringMatching(/0 seeders/), fix: expect.stringMatching(/peerback seed/) })
  } finally {
    await announceSeeder(about)
  }
})

test('a web seed that serves other bytes than the torrent, and an overload answer without the torrent', async () => {
  const changed = join(work, 'changed')
  await cp(SITE, changed, { recursive: true })
  await writeFile(join(changed, 'about', 'index.html'), (await readFile(join(SITE, 'about', 'index.html'), 'utf8')).replace('About', 'Ab0ut'))
  await chmod(changed, 0o755)
  await nginx.stop()
  const port = nginx.port
  nginx = await startNginx({ root: changed, torrents: join(out, 'torrents'), snippet: join(out, 'headers', 'nginx.conf'), port })
  const plain = createServer((_request, response) => { response.writeHead(503).end('busy') })
  await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done))
  try {
    const items = await checkDeployment(`${nginx.url}about/`, { resolver: doh.url, overload: `http://127.0.0.1:${(plain.address() as { port: number }).port}/` })
    expect(failed(items)).toEqual(['web seed', 'overload answer'])
    expect(items.find((item) => item.name === 'web seed')?.detail).toMatch(/does not match its hash/)
    expect(items.find((item) => item.name === 'overload answer')?.detail).toMatch(/^HTTP 503 in \d+ ms, no X-Torrent$/)
  } finally {
    await new Promise((done) => plain.close(done))
    await nginx.stop()
    nginx = await startNginx({ root: SITE, torrents: join(out, 'torrents'), snippet: join(out, 'headers', 'nginx.conf'), port })
  }
})

test('against a real DNS server: BIND 9 serving the published zone over its own DoH, every check passes', async () => {
  const bind = await startBind({ zone: 'localhost', fragment: join(out, '_torrent.zone') })
  try {
    const items = await checkDeployment(`${nginx.url}about/`, nodeResolverOf(bind))
    expect(failed(items), JSON.stringify(items, null, 2)).toEqual([])
    expect(items.find((item) => item.name === 'DNS matches headers')?.ok).toBe(true)
  } finally {
    await bind.stop()
  }
})
