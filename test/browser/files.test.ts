// Beyond pages (issue 9): a URL that names a file, not a page. A 20 MB .tar.gz whose origin is down
// lands in the reader's downloads with the right SHA-256, from peers and from the site's mirrors
// (a mirror serving damaged bytes is rejected for the next); a page with no torrent comes from a
// mirror; an SVG shows as an image; a video from peers plays before its download is complete.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type CopyTab, type Driver } from './drivers.ts'

// 12 s of VP8 video (663 KB) recorded from a canvas with Chromium's MediaRecorder.
const CLIP = resolve('test/fixtures/media/clip.webm')
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

interface FileView { kind?: string, sha256?: string, savedAs?: string, status: string, source: string, rejected?: string, error?: string }
const fileView = async (tab: CopyTab): Promise<FileView> => await tab.viewer.evaluate(() => {
  const box = document.querySelector<HTMLElement>('#file .file-content')
  return {
    ...box?.dataset,
    status: document.getElementById('status')?.textContent ?? '',
    source: document.getElementById('source')?.textContent ?? '',
    rejected: document.getElementById('source')?.dataset.rejected,
    error: document.querySelector('.error')?.textContent ?? undefined
  }
})

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let dead: Origin
  let doh: DohEndpoint
  let tracker: Tracker
  let seeders: Seeder[] = []
  let dir: string
  let tarball: string
  let tarballBytes: Uint8Array

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peerback-files-'))
    await writeFile(join(dir, 'payload.bin'), randomBytes(20 * 1024 * 1024))
    tarball = join(dir, 'release-1.0.tar.gz')
    execFileSync('tar', ['-czf', tarball, '-C', dir, 'payload.bin'])
    tarballBytes = await readFile(tarball)
    tracker = await startTracker()
    doh = await startDoh()
    dead = await startOrigin({ root: dir })
    await dead.setMode('down')
    driver = await launch(name, ['files.test', 'mirrors.test', 'video.test', 'image.test', 'mirrored-page.test', 'release.test', 'posts.test', 'stalls.test'])
    // The mirrors here are on 127.0.0.1, a private host, which a public site may not name otherwise.
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [], allowPrivateHosts: true })).toMatchObject({ ok: true })
  }, 60_000)

  afterAll(async () => {
    await driver?.close()
    await Promise.all([...seeders.map(async (seeder) => { await seeder.stop() }), tracker?.stop(), doh?.stop(), dead?.stop()])
    seeders = []
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  const publish = (host: string, path: string, torrent: Uint8Array): void => {
    const records = encodeTorrentRecords(torrent)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1(path)}._torrent.${host}`, records.value)
  }

  test('a 20 MB .tar.gz whose site is down comes from peers into the downloads folder, with its SHA-256 shown', async () => {
    const seeder = await startSeeder({ input: [tarball], announce: [tracker.wsUrl] })
    seeders.push(seeder)
    publish('files.test', '/release-1.0.tar.gz', seeder.torrentFile)
    const started = Date.now()
    const tab = await driver.openCopy(`http://files.test:${dead.port}/release-1.0.tar.gz`, { until: 'viewer' })
    try {
      await expect.poll(async () => { const view = await fileView(tab); return view.savedAs ?? view.error }, { timeout: 90_000, interval: 250 }).toMatch(/release-1\.0.*\.tar\.gz$|[0-9a-f-]{36}$/)
      const view = await fileView(tab)
      console.log(`${name}: 20 MiB from one peer in ${Date.now() - started} ms (from the failing navigation to the saved file)`)
      expect(view).toMatchObject({ kind: 'download', sha256: sha256(tarballBytes), status: 'Saved release-1.0.tar.gz to your downloads.' })
      expect(sha256(await readFile(view.savedAs as string))).toBe(sha256(tarballBytes))
      expect(await tab.viewer.text('#file .file-facts')).toContain(sha256(tarballBytes))
    } finally {
      await tab.close()
      // A later test seeds the same file on its own: one seeder, as its title says, not two.
      await seeder.stop()
      seeders = seeders.filter((each) => each !== seeder)
    }
  }, 120_000)

  test('the same file from two mirrors the failing response names, one serving damaged bytes: that one is rejected, the other used, the file correct', async () => {
    const corrupt = await startOrigin({ root: dir, corrupt: true })
    const good = await startOrigin({ root: dir })
    // The damaged mirror answers first (the good one takes a second over each answer), so it is tried first.
    await good.setMode('slow', { answerAfterMs: 1000 })
    // On a failing response, X-MD5 is the digest that names the file (a Repr-Digest there is the error page's).
    const digest = createHash('md5').update(tarballBytes).digest('hex')
    const site = await startOrigin({ root: dir, headers: { 'X-Mirrored-By': [`${corrupt.url}/release-1.0.tar.gz`, `${good.url}/release-1.0.tar.gz`], 'X-MD5': digest } })
    await site.setMode('overloaded')
    const tab = await driver.openCopy(`http://mirrors.test:${site.port}/release-1.0.tar.gz`, { until: 'viewer' })
    try {
      await expect.poll(async () => { const view = await fileView(tab); return view.savedAs ?? view.error }, { timeout: 90_000, interval: 250 }).toMatch(/\.tar\.gz$|[0-9a-f-]{36}$/)
      const view = await fileView(tab)
      expect(view).toMatchObject({ kind: 'download', sha256: sha256(tarballBytes), rejected: `${corrupt.url}/release-1.0.tar.gz` })
      expect(view.source).toMatch(new RegExp(`^from the site’s mirror 127\\.0\\.0\\.1:${good.port} \\(no torrent\\) · matches the site’s digest · Rejected: 127\\.0\\.0\\.1:${corrupt.port} \\(its copy does not match the MD5 digest`))
      expect(sha256(await readFile(view.savedAs as string))).toBe(sha256(tarballBytes))
      // Both were asked in ranges: the whole file from each, 2 MiB at a time.
      expect(corrupt.bytesServed).toBeGreaterThanOrEqual(tarballBytes.length)
      expect(good.requests.length).toBeGreaterThan(10)
    } finally {
      await tab.close()
      await Promise.all([corrupt.stop(), good.stop(), site.stop()])
    }
  }, 120_000)

  test('a file from a seeder and two mirrors, one serving damaged bytes: mirrors send long ranges beside the peer, the damaged one is dropped at its first bad piece, the file is right', async () => {
    const seeder = await startSeeder({ input: [tarball], announce: [tracker.wsUrl] })
    seeders.push(seeder)
    const path = '/with-mirrors/release-1.0.tar.gz'
    publish('mirrors.test', path, seeder.torrentFile)
    const corrupt = await startOrigin({ root: dir, corrupt: true })
    const good = await startOrigin({ root: dir })
    const site = await startOrigin({ root: dir, headers: { 'X-Mirrored-By': [`${corrupt.url}/release-1.0.tar.gz`, `${good.url}/release-1.0.tar.gz`] } })
    await site.setMode('overloaded')
    const tab = await driver.openCopy(`http://mirrors.test:${site.port}${path}`, { until: 'viewer' })
    try {
      await expect.poll(async () => { const view = await fileView(tab); return view.savedAs ?? view.error }, { timeout: 90_000, interval: 250 }).toMatch(/\.tar\.gz$|[0-9a-f-]{36}$/)
      const view = await fileView(tab)
      expect(view).toMatchObject({ kind: 'download', sha256: sha256(tarballBytes) })
      expect(sha256(await readFile(view.savedAs as string))).toBe(sha256(tarballBytes))
      // Every piece was checked: the damaged mirror's first piece failed, and it was used no more
      // (only the ranges it already had under way), which the viewer counts.
      await expect.poll(async () => Number(await tab.viewer.evaluate(() => document.getElementById('stats')?.dataset.badPieces))).toBeGreaterThan(0)
      expect(corrupt.bytesServed).toBeLessThan(tarballBytes.length / 2)
      // The good mirror was asked in long ranges (WebTorrent's web seeds ask one piece each: hundreds).
      expect(good.requests.length).toBeGreaterThan(0)
      expect(good.requests.length).toBeLessThan(20)
    } finally {
      await tab.close()
      await Promise.all([corrupt.stop(), good.stop(), site.stop()])
    }
  }, 120_000)

  test('a mirror that stops sending halfway is abandoned, and the next one serves the file', async () => {
    const bytes = randomBytes(3 * 1024 * 1024)
    await writeFile(join(dir, 'stall.bin'), bytes)
    const staller = await startOrigin({ root: dir, stallAfterBytes: 1024 * 1024 })
    const good = await startOrigin({ root: dir })
    await good.setMode('slow', { answerAfterMs: 1000 }) // the staller answers first, so it is tried first
    const site = await startOrigin({ root: dir, headers: { 'X-Mirrored-By': [`${staller.url}/stall.bin`, `${good.url}/stall.bin`], 'X-MD5': createHash('md5').update(bytes).digest('hex') } })
    await site.setMode('overloaded')
    const tab = await driver.openCopy(`http://stalls.test:${site.port}/stall.bin`, { until: 'viewer' })
    try {
      await expect.poll(async () => { const view = await fileView(tab); return view.savedAs ?? view.error }, { timeout: 60_000, interval: 250 }).toMatch(/stall.*\.bin$|[0-9a-f-]{36}$/)
      const view = await fileView(tab)
      expect(view).toMatchObject({ kind: 'download', sha256: sha256(bytes), rejected: `${staller.url}/stall.bin` })
      expect(view.source).toContain(`Rejected: 127.0.0.1:${staller.port} (it stopped sending for 10 s)`)
    } finally {
      await tab.close()
      await Promise.all([staller.stop(), good.stop(), site.stop()])
    }
  }, 90_000)

  test('a page with no torrent comes from the mirror its failing response names, styles included', async () => {
    const mirror = await startOrigin({ root: resolve('test/fixtures/site') })
    // The 503's own Repr-Digest (as a CDN may send for its error page) describes the error page, not the page: it is not used.
    const site = await startOrigin({ root: resolve('test/fixtures/site'), headers: { 'X-Mirrored-By': `${mirror.url}/`, 'Repr-Digest': `sha-256=:${createHash('sha256').update('the error page').digest('base64')}:` } })
    await site.setMode('overloaded')
    const tab = await driver.openCopy(`http://mirrored-page.test:${site.port}/`)
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      expect(await tab.viewer.text('#source')).toBe(`from the site’s mirror 127.0.0.1:${mirror.port} (no torrent) · not checked: the site published no digest`)
      // With a digest, the page is checked, and the banner says its files from the mirror are not.
      site.setHeaders({ 'X-Mirrored-By': `${mirror.url}/`, 'X-MD5': createHash('md5').update(await readFile(resolve('test/fixtures/site/index.html'))).digest('hex') })
      const checked = await driver.openCopy(`http://mirrored-page.test:${site.port}/`)
      try {
        expect(await checked.viewer.text('#source')).toBe(`from the site’s mirror 127.0.0.1:${mirror.port} (no torrent) · the page matches the site’s digest; its images, styles and scripts from the mirror are not checked`)
      } finally {
        await checked.close()
      }
      expect(mirror.requests).toEqual(expect.arrayContaining(['/', '/style.css']))
    } finally {
      await tab.close()
      await Promise.all([mirror.stop(), site.stop()])
    }
  })

  test('a single-file torrent found for a URL serves that URL, though its file has another name', async () => {
    // As other tools make them: one file, named as its maker liked, found through the URL's page record.
    const release = join(dir, 'tool-1.0-final.tar.gz')
    await writeFile(release, randomBytes(300 * 1024))
    const seeder = await startSeeder({ input: [release], announce: [tracker.wsUrl] })
    seeders.push(seeder)
    publish('release.test', '/releases/tool-1.0.tar.gz', seeder.torrentFile)
    const tab = await driver.openCopy(`http://release.test:${dead.port}/releases/tool-1.0.tar.gz`, { until: 'viewer' })
    try {
      await expect.poll(async () => { const view = await fileView(tab); return view.savedAs ?? view.error }, { timeout: 60_000, interval: 250 }).toMatch(/\.tar\.gz$|[0-9a-f-]{36}$/)
      const view = await fileView(tab)
      expect(view).toMatchObject({ kind: 'download', sha256: sha256(await readFile(release)) })
    } finally {
      await tab.close()
    }
  }, 90_000)

  test('a page torrent remembered for one page never serves another page of the site: that page’s own record is asked', async () => {
    const posts = join(dir, 'posts')
    for (const post of ['post-1', 'post-2']) {
      await mkdir(join(posts, post), { recursive: true })
      await writeFile(join(posts, post, 'index.html'), `<!doctype html><title>${post}</title><p id="greeting">This is ${post}.</p>`)
    }
    const [first, second] = await Promise.all(['post-1', 'post-2'].map(async (post) => await startSeeder({ input: join(posts, post), announce: [tracker.wsUrl], name: post })))
    seeders.push(first as Seeder, second as Seeder)
    const site = await startOrigin({ root: posts, headers: { 'X-Torrent': '/post-1.torrent' } })
    site.setFile('/post-1.torrent', (first as Seeder).torrentFile)
    publish('posts.test', '/post-2/', (second as Seeder).torrentFile)
    try {
      const healthy = await driver.open(`http://posts.test:${site.port}/post-1/`)
      await expect.poll(async () => await driver.ask('cachedPointers', { url: `http://posts.test:${site.port}/post-1/` })).not.toBeNull()
      await healthy.close()
      await site.setMode('down')
      const tab = await driver.openCopy(`http://posts.test:${site.port}/post-2/`)
      try {
        expect(await tab.copy.text('#greeting')).toBe('This is post-2.')
        expect(doh.queries.map((query) => query.name)).toContain(`${sha1('/post-2/')}._torrent.posts.test`)
      } finally {
        await tab.close()
      }
    } finally {
      await site.stop()
    }
  }, 90_000)

  test('an SVG image from peers is shown as an image, never as a document', async () => {
    const seeder = await startSeeder({ input: resolve('test/fixtures/site'), announce: [tracker.wsUrl], name: 'site' })
    seeders.push(seeder)
    publish('image.test', '/logo.svg', seeder.torrentFile)
    const tab = await driver.openCopy(`http://image.test:${dead.port}/logo.svg`, { until: 'viewer' })
    try {
      await expect.poll(async () => (await fileView(tab)).status, { timeout: 30_000 }).toBe('Showing a copy served by peers.')
      const shown = await tab.viewer.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('#file img')
        return { width: img?.naturalWidth ?? 0, scheme: img?.src.slice(0, 19), frames: document.querySelectorAll('iframe, object, embed').length }
      })
      expect(shown).toEqual({ width: expect.any(Number), scheme: 'data:image/svg+xml;', frames: 0 })
      expect(shown.width).toBeGreaterThan(0)
      expect((await fileView(tab)).kind).toBe('vector-image')
    } finally {
      await tab.close()
    }
  })

  test('a video from peers starts playing before its download is complete', async () => {
    // 663 KB at 48 KB/s: some 14 s to download a 12 s clip.
    const seeder = await startSeeder({ input: [CLIP], announce: [tracker.wsUrl], pieceLength: 16_384, uploadLimit: 48_000 })
    seeders.push(seeder)
    publish('video.test', '/clip.webm', seeder.torrentFile)
    const tab = await driver.openCopy(`http://video.test:${dead.port}/clip.webm`, { until: 'viewer' })
    try {
      const playing = async (): Promise<{ time: number, progress: number }> => await tab.viewer.evaluate(() => ({
        time: document.querySelector('video')?.currentTime ?? 0,
        progress: document.querySelector<HTMLProgressElement>('#file progress')?.value ?? 0
      }))
      await expect.poll(async () => (await playing()).time, { timeout: 30_000, interval: 200 }).toBeGreaterThan(1)
      const now = await playing()
      console.log(`${name}: playing at ${now.time.toFixed(1)} s with ${(now.progress * 100).toFixed(0)} % downloaded`)
      expect(now.progress).toBeLessThan(1)
      expect((await fileView(tab)).status).toBe('Playing a copy served by peers.')
    } finally {
      await tab.close()
    }
  }, 60_000)
})
