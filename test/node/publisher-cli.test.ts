// `peerback` as a site owner runs it: real processes, real files, the extension's own decoders
// reading back what it wrote, Debian's nginx checking its snippets.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import parseTorrent from 'parse-torrent'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { lookupTorrentRecords } from '../../src/background/discovery.ts'
import { dohClient } from '../../src/background/doh-client.ts'
import { pointerCache } from '../../src/background/pointer-cache.ts'
import { readTorrentFile } from '../../src/protocol/torrent-file.ts'
import { decodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import type { SeedManifest } from '../../src/publisher/publish.ts'
import { txtRecordsOfZone } from '../../src/publisher/zone-file.ts'
import { memoryArea } from './memory-area.ts'
import { runPeerback, startPeerback } from '../world/peerback-process.ts'

const SITE = resolve('test/fixtures/site')
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')
const limits = { maxTotalBytes: 100 * 1024 * 1024 }
let work: string
let out: string
let published: { code: number | null, stdout: string, stderr: string }
let manifest: SeedManifest

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'peerback-cli-'))
  out = join(work, 'out')
  published = await runPeerback(['publish', SITE, '--origin', 'https://blog.example/', '--tracker', 'wss://tracker.blog.example', '--mirror', 'https://mirror.example/blog', '--out', out])
  manifest = JSON.parse(await readFile(join(out, 'peerback.json'), 'utf8')) as SeedManifest
}, 30_000)
afterAll(async () => { await rm(work, { recursive: true, force: true }) })

const torrentOf = async (path: string): Promise<Record<string, any>> => await parseTorrent(await readFile(join(out, path))) as Record<string, any>

describe('publish', { timeout: 60_000 }, () => {
  test('makes a site torrent and a torrent per page, and says so in a table', async () => {
    expect(published.code, published.stderr).toBe(0)
    expect(published.stdout).toMatch(/^Published 3 torrents of /)
    expect(published.stdout).toMatch(/^site +https:\/\/blog\.example\/ +4 /m)
    expect(published.stdout).toMatch(/^page +https:\/\/blog\.example\/about\/ +2 /m)
    expect(published.stdout).toMatch(/Serve .*torrents\/ at https:\/\/blog\.example\/peerback\//)

    const site = await torrentOf('torrents/site.torrent')
    expect(site.files.map((file: { path: string }) => file.path).sort()).toEqual(['blog.example/about/index.html', 'blog.example/index.html', 'blog.example/logo.svg', 'blog.example/style.css'])
    expect(site.announce).toEqual(['wss://tracker.blog.example'])
    // BEP 19: <web seed>/<name>/<path>; the alias snippet serves /blog.example/<path> as /<path>.
    expect(site.urlList).toEqual(['https://blog.example/', 'https://mirror.example/blog/'])
    const home = await torrentOf('torrents/pages/index.html.torrent')
    expect(home.files.map((file: { path: string }) => file.path).sort()).toEqual(['blog.example/index.html', 'blog.example/logo.svg', 'blog.example/style.css'])
    const about = await torrentOf('torrents/pages/about/index.html.torrent')
    expect(about.files.map((file: { path: string }) => file.path).sort()).toEqual(['blog.example/about/index.html', 'blog.example/style.css'])

    for (const entry of manifest.torrents) {
      const checked = await readTorrentFile(await readFile(join(out, entry.torrentPath)), limits)
      if (!checked.ok) throw checked.error
      expect(checked.value.infoHash).toBe(entry.infoHash)
    }
  })

  test('the zone fragment decodes with the extension\'s decoder to the same info hashes, at the names it asks for', async () => {
    const records = txtRecordsOfZone(await readFile(join(out, '_torrent.zone'), 'utf8'))
    const expected = new Map([
      ['_torrent.blog.example', manifest.torrents.find((entry) => entry.scope === 'site')?.infoHash],
      [`${sha1('/')}._torrent.blog.example`, manifest.torrents.find((entry) => entry.url === 'https://blog.example/' && entry.scope === 'page')?.infoHash],
      [`${sha1('/about/')}._torrent.blog.example`, manifest.torrents.find((entry) => entry.url === 'https://blog.example/about/')?.infoHash]
    ])
    expect(new Set(records.map((record) => record.name))).toEqual(new Set(expected.keys()))
    for (const [name, infoHash] of expected) {
      const decoded = decodeTorrentRecords(records.filter((record) => record.name === name).map((record) => record.strings), name)
      if (!decoded.ok || decoded.value?.kind !== 'torrent') throw new Error(`${name}: no torrent record`)
      expect((await parseTorrent(decoded.value.bytes) as { infoHash: string }).infoHash).toBe(infoHash)
    }
  })

  test('header snippets name each page\'s torrent, mirror and digests; nginx accepts them', async () => {
    const nginx = await readFile(join(out, 'headers/nginx.conf'), 'utf8')
    const homeDigest = createHash('sha256').update(await readFile(join(SITE, 'index.html'))).digest('base64')
    expect(nginx).toContain('location = / {\n    add_header X-Torrent "/peerback/pages/index.html.torrent" always;')
    // Not on error answers, where it would describe the error page.
    expect(nginx).toContain(`add_header Repr-Digest "sha-256=:${homeDigest}:";`)
    expect(nginx).toContain('add_header X-Mirrored-By "https://mirror.example/blog/about/" always;')
    const apache = await readFile(join(out, 'headers/apache.conf'), 'utf8')
    expect(apache).toContain('<LocationMatch "^/about/$">\n    Header always add X-Torrent "/peerback/pages/about/index.html.torrent"')
    expect(apache.match(/<LocationMatch/g)?.length).toBe(apache.match(/<\/LocationMatch>/g)?.length)
    expect(apache).toContain('RewriteRule ^/?blog\\.example/(.*)$ /$1 [PT,L]')
    const caddy = await readFile(join(out, 'headers/Caddyfile'), 'utf8')
    expect(caddy.match(/\{/g)?.length).toBe(caddy.match(/\}/g)?.length)
    expect(caddy).toContain('uri /blog.example/* strip_prefix /blog.example')
    expect(await readFile(join(out, 'headers/_headers'), 'utf8')).toMatch(/^\/about\/\n {2}X-Torrent: \/peerback\/pages\/about\/index\.html\.torrent$/m)
    expect(await readFile(join(out, 'headers/_redirects'), 'utf8')).toBe('/blog.example/*  /:splat  200\n')

    const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => spawnSync(path, ['-v']).status === 0)
    if (nginxBinary === undefined) {
      if (process.env.CI !== undefined) throw new Error('nginx is not installed: .ci/run installs it to check the snippets')
      console.warn('nginx is not installed: the snippets were not checked with nginx -t (apt-get install nginx)')
      return
    }
    const overload = await readFile(join(out, 'headers/nginx-overload.conf'), 'utf8')
    const [httpPart, serverPart] = overload.split(/^# In the server \{\} block.*$/m)
    const config = join(work, 'nginx.conf')
    await writeFile(config, [
      'pid /dev/null; error_log stderr; events {}',
      `http { access_log off; ${httpPart ?? ''}`,
      `server { listen 127.0.0.1:1; root ${SITE}; include ${join(out, 'headers/nginx.conf')};`,
      serverPart ?? '',
      '} }'
    ].join('\n'))
    const checked = spawnSync(nginxBinary, ['-t', '-q', '-c', config, '-p', work, '-g', 'user root;'], { encoding: 'utf8' })
    expect(checked.stderr).toBe('')
    expect(checked.status).toBe(0)
  })

  test('bad input: a clear message and exit code 2, before any work', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['publish', join(work, 'nope'), '--origin', 'https://a.example/'], /The site directory .*nope does not exist\./],
      [['publish', join(SITE, 'index.html'), '--origin', 'https://a.example/'], /index\.html is not a directory\./],
      [['publish', SITE, '--origin', 'not a url'], /--origin "not a url" is not a URL/],
      [['publish', SITE, '--origin', 'https://a.example/blog/'], /--origin must be the site's root \(https:\/\/a\.example\/\)/],
      [['publish', SITE], /Give the site's root URL/],
      [['publish', SITE, '--origin', 'https://a.example/', '--tracker', 'udp://t.example:80'], /browsers reach trackers over wss:\/\//],
      [['publish', SITE, '--origin', 'https://a.example/', '--out', join(SITE, 'index.html', 'out')], /Cannot write to --out .*index\.html\/out: ENOTDIR\./],
      [['publish', SITE, '--origin', 'https://a.example/', '--record', 'x'], /Unknown option '--record'/],
      [['publish', SITE, '--origin', 'https://a.example/', '--records', 'x'], /--records x: use auto, magnet or torrent/],
      [['publish', SITE, '--origin', 'https://a.example/', '--piece-length', '1000'], /power of two/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['seed', work], /has no peerback\.json/],
      [['doh'], /Give the zone fragment: --zone <file>/]
    ]
    const runs = await Promise.all(cases.map(async ([args]) => await runPeerback(args, { cwd: work })))
    cases.forEach(([args, message], index) => {
      expect(runs[index]?.stderr, args.join(' ')).toMatch(message)
      expect(runs[index]?.code, args.join(' ')).toBe(2)
    })
  })

  test('every command has --help (and help <command>), with exit code 0; --version says the version', async () => {
    const runs = await Promise.all([[], ['publish'], ['seed'], ['tracker'], ['doh'], ['check']].map(async (command) => await runPeerback([...command, '--help'])))
    for (const run of runs) {
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^Usage: peerback /)
    }
    expect((await runPeerback([])).code).toBe(2)
    const help = await runPeerback(['help', 'check'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: peerback check <url>/)
    const version = await runPeerback(['--version'])
    const { version: expected } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string }
    expect(version).toMatchObject({ code: 0, stdout: `peerback ${expected}\n` })
  })

  test('publishing again hashes only what changed, names the torrents that changed, and gives the safe order to roll them out', async () => {
    const site = join(work, 'growing')
    await cp(SITE, site, { recursive: true })
    const again = join(work, 'again-out')
    const args = ['publish', site, '--origin', 'https://again.example/', '--tracker', 'wss://t.example', '--out', again]
    const first = await runPeerback([...args, '--json'])
    expect(first.code, first.stderr).toBe(0)
    const hashes = (run: { stdout: string }): Record<string, { change: string, infoHash: string, previousInfoHash?: string }> =>
      Object.fromEntries((JSON.parse(run.stdout) as { entries: Array<{ torrentPath: string, change: string, infoHash: string, previousInfoHash?: string }> }).entries.map((entry) => [entry.torrentPath, entry]))
    expect(Object.values(hashes(first)).map((entry) => entry.change)).toEqual(['new', 'new', 'new'])

    const same = await runPeerback(args)
    expect(same.code, same.stderr).toBe(0)
    expect(same.stdout).toMatch(/\(3 unchanged since the last run, not hashed again\)/)
    expect(same.stderr).not.toMatch(/hashing/)
    expect(same.stdout).not.toMatch(/Changed since the last run/)

    await writeFile(join(site, 'about', 'index.html'), (await readFile(join(site, 'about', 'index.html'), 'utf8')).replace('A small blog', 'A growing blog'))
    const changed = await runPeerback([...args, '--json'])
    const after = hashes(changed)
    expect(Object.fromEntries(Object.entries(after).map(([path, entry]) => [path, entry.change]))).toEqual({
      'torrents/site.torrent': 'changed', 'torrents/pages/about/index.html.torrent': 'changed', 'torrents/pages/index.html.torrent': 'same'
    })
    expect(after['torrents/pages/about/index.html.torrent']?.previousInfoHash).toBe(hashes(first)['torrents/pages/about/index.html.torrent']?.infoHash)
    expect((JSON.parse(changed.stdout) as { safeOrder: string[] }).safeOrder.map((step) => step.split(' ')[0])).toEqual(['Upload', 'Deploy', 'Then', 'Restart'])
    // Seeding reads the manifest as before.
    const manifest = JSON.parse(await readFile(join(again, 'peerback.json'), 'utf8')) as SeedManifest
    expect(manifest.torrents.map((entry) => entry.infoHash)).toEqual(Object.values(after).map((entry) => entry.infoHash))

    await writeFile(join(site, 'about', 'index.html'), (await readFile(join(site, 'about', 'index.html'), 'utf8')).replace('A growing blog', 'A grown blog'))
    const text = await runPeerback(args)
    expect(text.stdout).toMatch(/Changed since the last run \(2\):\n {2}https:\/\/again\.example\/ {2}[0-9a-f]{40} → [0-9a-f]{40}\n/)
    expect(text.stdout).toMatch(/Roll the change out in this order:\n {2}1\. Upload the new torrents \(.*again-out\/torrents\/\) next to the old ones\.\n {2}2\. Deploy the new header snippets/)
  })

  test('--zone-format json,octodns: the same records for DNS hosts that take no zone file', async () => {
    const formats = join(work, 'formats-out')
    const run = await runPeerback(['publish', SITE, '--origin', 'https://formats.example/', '--tracker', 'wss://t.example', '--zone-format', 'json,octodns', '--out', formats])
    expect(run.code, run.stderr).toBe(0)
    const bind = txtRecordsOfZone(await readFile(join(formats, '_torrent.zone'), 'utf8'))
    const json = JSON.parse(await readFile(join(formats, '_torrent.json'), 'utf8')) as Array<{ name: string, type: string, ttl: number, value: string }>
    expect(json.map((record) => record.name)).toEqual(bind.map((record) => record.name))
    expect(json.every((record) => record.type === 'TXT' && record.ttl === 300)).toBe(true)
    for (const [index, record] of json.entries()) {
      // What a resolver hands back once a host has split the text again: the same torrent.
      const chunks = record.value.match(/.{1,255}/g) ?? []
      const fromJson = decodeTorrentRecords([chunks], record.name)
      const fromBind = decodeTorrentRecords([bind[index]?.strings ?? []], record.name)
      expect(fromJson.ok && fromBind.ok && JSON.stringify(fromJson.value) === JSON.stringify(fromBind.value)).toBe(true)
    }
    const octodns = await readFile(join(formats, '_torrent.octodns.yaml'), 'utf8')
    expect(octodns).toMatch(/^'_torrent':\n {2}type: TXT\n {2}ttl: 300\n {2}values:\n {2}- 'torrent 1\/1 /m)
    expect(octodns).toMatch(new RegExp(`^'${sha1('/about/')}\\._torrent':$`, 'm'))
    const bad = await runPeerback(['publish', SITE, '--origin', 'https://formats.example/', '--zone-format', 'bind,tinydns', '--out', formats])
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--zone-format tinydns: use bind, json, octodns/) })
  })

  test('publish takes its defaults from ./peerback.json, the command line wins, and --json is for scripts', async () => {
    const project = join(work, 'project')
    await mkdir(project)
    await writeFile(join(project, 'peerback.json'), JSON.stringify({ origin: 'https://config.example/', trackers: ['wss://t.config.example'], records: 'magnet', out: 'published' }))
    const run = await runPeerback(['publish', SITE, '--json', '--records', 'auto'], { cwd: project })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toMatch(/No --tracker given/)
    const summary = JSON.parse(run.stdout) as { out: string, entries: Array<{ url: string, record?: { form: string } }>, next: string[] }
    expect(summary.out).toBe('published')
    expect(summary.entries.map((entry) => entry.url)).toContain('https://config.example/about/')
    expect(summary.entries.some((entry) => entry.record?.form === 'torrent')).toBe(true) // --records auto won over the file's magnet
    expect(summary.next.at(-1)).toBe('Check it: npx peerback check https://config.example/')
    const torrent = await parseTorrent(await readFile(join(project, 'published', 'torrents', 'site.torrent'))) as { announce: string[] }
    expect(torrent.announce).toEqual(['wss://t.config.example'])

    await writeFile(join(project, 'peerback.json'), JSON.stringify({ origin: 'https://config.example/', tracker: 'wss://typo.example' }))
    const typo = await runPeerback(['publish', SITE], { cwd: project })
    expect(typo).toMatchObject({ code: 2, stderr: expect.stringMatching(/peerback\.json: unknown field "tracker" \(known: origin, trackers, mirrors, records, out\)/) })
  })

  test('a site whose torrent is too big for DNS: published as a magnet link, and the summary says so', async () => {
    const big = join(work, 'big')
    await mkdir(join(big, 'posts'), { recursive: true })
    await Promise.all(Array.from({ length: 1500 }, async (_, index) => await writeFile(join(big, 'posts', `a-rather-long-post-name-${index}.html`), `<p>post ${index}</p>`)))
    const run = await runPeerback(['publish', big, '--origin', 'https://big.example/', '--tracker', 'wss://t.example', '--site-torrent', '--records', 'torrent', '--out', join(work, 'big-out')])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^site +https:\/\/big\.example\/ +1500 .* magnet /m)
    expect(run.stdout).toMatch(/Notes:\n {2}- https:\/\/big\.example\/: the torrent file is \d+ bytes, more than the 65536 DNS can carry; published as a magnet link instead\./)
    const records = txtRecordsOfZone(await readFile(join(work, 'big-out', '_torrent.zone'), 'utf8'))
    const decoded = decodeTorrentRecords(records.map((record) => record.strings), '_torrent.big.example')
    expect(decoded.ok && decoded.value?.kind).toBe('magnet')
  })
})

describe('doh, tracker and seed as running processes', { timeout: 60_000 }, () => {
  test('peerback doh answers the extension\'s own DNS lookup with the published page torrent', async () => {
    const doh = await startPeerback(['doh', '--zone', join(out, '_torrent.zone'), '--port', '0'], /dns-query/)
    try {
      const resolverUrl = /http:\/\/\S+\/dns-query/.exec(doh.output.stdout)?.[0] as string
      expect(doh.output.stdout).toMatch(/^DNS-over-HTTPS for 3 names/)
      const found = await lookupTorrentRecords('https://blog.example/about/', {
        cache: pointerCache(memoryArea()), limits, lookupTxt: dohClient({ resolverUrl, timeoutMs: 2000 })
      })
      expect(found.problems).toEqual([])
      expect(found.torrent?.source).toBe('dns-page')
      expect(found.torrent?.pointer.kind === 'file' && found.torrent.pointer.infoHash).toBe(manifest.torrents.find((entry) => entry.url === 'https://blog.example/about/')?.infoHash)
    } finally {
      const stopped = await doh.stop()
      expect(stopped.code).toBe(0)
      expect(stopped.stdout).toMatch(/stopping after 1 query./)
    }
  })

  test('peerback tracker serves its stats page and stops cleanly', async () => {
    const tracker = await startPeerback(['tracker', '--port', '0'], /Stats: +http/)
    const statsUrl = /Stats: +(\S+)/.exec(tracker.output.stdout)?.[1] as string
    const stats = await fetch(statsUrl)
    expect(stats.status).toBe(200)
    expect(await stats.text()).toMatch(/torrents/i)
    const stopped = await tracker.stop()
    expect(stopped.code).toBe(0)
  })

  test('peerback seed refuses a site changed since publishing, and never writes to it', async () => {
    const copy = join(work, 'changed-site')
    await cp(SITE, copy, { recursive: true })
    const changedOut = join(work, 'changed-out')
    const run = await runPeerback(['publish', copy, '--origin', 'https://blog.example/', '--tracker', 'ws://127.0.0.1:1', '--site-torrent', '--out', changedOut])
    expect(run.code, run.stderr).toBe(0)
    const css = await readFile(join(copy, 'style.css'), 'utf8')
    await writeFile(join(copy, 'style.css'), css.replace('body', 'BODY')) // same size, other bytes
    const before = execFileSync('sha1sum', ['style.css', 'index.html', 'logo.svg', 'about/index.html'], { cwd: copy, encoding: 'utf8' })
    const seed = await runPeerback(['seed', changedOut, '--no-stun'])
    expect(seed.stderr).toMatch(/torrents\/site\.torrent: the site's files differ from what was published \(\d+% of the data matches\): run peerback publish again/)
    expect(seed.stderr).toMatch(/Nothing to seed/)
    expect(seed.code).toBe(1)
    expect(execFileSync('sha1sum', ['style.css', 'index.html', 'logo.svg', 'about/index.html'], { cwd: copy, encoding: 'utf8' })).toBe(before)
  })
})
