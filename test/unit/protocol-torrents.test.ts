// Torrent files from create-torrent (what WebTorrent makes) and from Debian's mktorrent, checked
// against the limits, and mapped from URL paths to files.
import { readFileSync } from 'node:fs'
import createTorrent from 'create-torrent'
import bencode from 'bencode'
import { describe, expect, test } from 'vitest'
import { decodePath, fileForPath } from '../../src/protocol/torrent-paths.ts'
import { readTorrentFile, type ValidTorrent } from '../../src/protocol/torrent-file.ts'

const limits = { maxTotalBytes: 100 * 1024 * 1024 }
const mktorrent = (name: string): Uint8Array => new Uint8Array(readFileSync(`test/fixtures/torrents/${name}`))

async function makeTorrent (files: Record<string, string | Uint8Array>, name = 'site'): Promise<Uint8Array> {
  const input = Object.entries(files).map(([path, content]) => Object.assign(Buffer.from(content), { name: path, fullPath: `/${name}/${path}` }))
  return await new Promise((resolve, reject) => {
    createTorrent(input, { name, announceList: [['wss://t.example']], urlList: ['https://blog.example.org/'] }, (error: Error | null, torrent: Uint8Array) => {
      if (error) reject(error)
      else resolve(new Uint8Array(torrent))
    })
  })
}

async function valid (bytes: Uint8Array): Promise<ValidTorrent> {
  const result = await readTorrentFile(bytes, limits)
  if (!result.ok) throw result.error
  return result.value
}

describe('reading torrent files', () => {
  test('mktorrent site torrent: a folder, its files without the folder name, tracker and web seed', async () => {
    const torrent = await valid(mktorrent('site-mktorrent.torrent'))
    expect(torrent).toMatchObject({ name: 'blog', multiFile: true, trackers: ['wss://tracker.example.org'], webSeeds: ['https://blog.example.org/'] })
    expect(torrent.files.map((file) => file.path).sort()).toEqual(['about/index.html', 'index.html', 'posts/first.html', 'style.css'])
    expect(torrent.infoHash).toMatch(/^[0-9a-f]{40}$/)
  })

  test('mktorrent page torrent: a single file', async () => {
    const torrent = await valid(mktorrent('page-mktorrent.torrent'))
    expect(torrent).toMatchObject({ name: 'first.html', multiFile: false, files: [{ path: 'first.html', length: 54 }] })
  })

  test('create-torrent: the same shape as WebTorrent makes', async () => {
    const torrent = await valid(await makeTorrent({ 'index.html': '<p>hi</p>', 'a/b.css': 'p{}' }))
    expect(torrent.files).toEqual([{ path: 'index.html', length: 9 }, { path: 'a/b.css', length: 3 }])
    expect(torrent.length).toBe(12)
  })

  test('limits: metadata, file count, total size', async () => {
    expect(await readTorrentFile(new Uint8Array(1024 * 1024 + 1), limits)).toMatchObject({ ok: false, error: { code: 'torrent-metadata-too-large', message: expect.stringContaining('1 MiB') } })
    const bytes = await makeTorrent({ 'index.html': 'x'.repeat(2048) })
    expect(await readTorrentFile(bytes, { maxTotalBytes: 1024 })).toMatchObject({ ok: false, error: { code: 'torrent-too-large', message: 'The copy is 2 KiB, more than the 1 KiB Peerback is set to download.' } })
    const many = forge({ files: Array.from({ length: 10_001 }, (_, i) => ({ length: 0, path: [`f${i}`] })) })
    expect(await readTorrentFile(many, limits)).toMatchObject({ ok: false, error: { code: 'torrent-too-many-files' } })
  })

  test('unsafe paths: "..", absolute-looking, separators inside a component, not UTF-8', async () => {
    for (const path of [['..', 'etc', 'passwd'], ['a', '..', '..', 'b'], [''], ['a/b'], ['C:', 'x'], [new Uint8Array([0xff, 0xfe])], []]) {
      expect(await readTorrentFile(forge({ files: [{ length: 1, path }] }), limits), JSON.stringify(path)).toMatchObject({ ok: false, error: { code: 'torrent-unsafe-path' } })
    }
    expect(await readTorrentFile(forge({ name: '..', length: 1 }), limits)).toMatchObject({ ok: false, error: { code: 'torrent-unsafe-path' } })
  })

  test('garbage, 20 bytes, wrong types and a piece count that does not fit are unreadable', async () => {
    for (const bytes of [new Uint8Array(20), new TextEncoder().encode('not bencode'), forge({ files: 7 as unknown as [] }), forge({ length: 1, pieces: new Uint8Array(40) }), forge({ files: [{ length: -1, path: ['a'] }] })]) {
      expect(await readTorrentFile(bytes, limits)).toMatchObject({ ok: false, error: { code: 'torrent-unreadable' } })
    }
  })
})

/** A torrent file with a hand-made info dictionary, for inputs no honest tool produces. */
function forge (info: { name?: string, length?: number, files?: Array<{ length: number, path: Array<string | Uint8Array> }>, pieces?: Uint8Array }): Uint8Array {
  const total = info.length ?? (Array.isArray(info.files) ? info.files.reduce((sum, file) => sum + file.length, 0) : 0)
  return bencode.encode({
    announce: 'wss://t.example',
    info: { name: 'forged', 'piece length': 16384, pieces: new Uint8Array(20 * Math.ceil(total / 16384)), ...info }
  })
}

describe('path → file', () => {
  const site = async (): Promise<ValidTorrent> => await valid(mktorrent('site-mktorrent.torrent'))
  test('exact, then /index.html, then .html', async () => {
    const torrent = await site()
    expect(fileForPath(torrent, '/style.css')).toMatchObject({ ok: true, value: { path: 'style.css' } })
    expect(fileForPath(torrent, '/')).toMatchObject({ ok: true, value: { path: 'index.html' } })
    expect(fileForPath(torrent, '/about/')).toMatchObject({ ok: true, value: { path: 'about/index.html' } })
    expect(fileForPath(torrent, '/about')).toMatchObject({ ok: true, value: { path: 'about/index.html' } })
    expect(fileForPath(torrent, '/posts/first')).toMatchObject({ ok: true, value: { path: 'posts/first.html' } })
    expect(fileForPath(torrent, '/posts/second')).toMatchObject({ ok: false, error: { code: 'no-file-for-path' } })
  })
  test('percent-encoded paths match decoded file names', async () => {
    const torrent = await valid(await makeTorrent({ 'café au lait.html': 'x', 'index.html': 'y' }))
    expect(fileForPath(torrent, '/caf%C3%A9%20au%20lait.html')).toMatchObject({ ok: true, value: { path: 'café au lait.html' } })
    expect(fileForPath(torrent, '/%E0%A4%A')).toMatchObject({ ok: false, error: { code: 'no-file-for-path' } })
  })
  test('an encoded slash is part of a name, never a separator: /about%2Findex.html is not about/index.html', async () => {
    const torrent = await site()
    expect(fileForPath(torrent, '/about/index.html')).toMatchObject({ ok: true, value: { path: 'about/index.html' } })
    expect(fileForPath(torrent, '/about%2Findex.html')).toMatchObject({ ok: false, error: { code: 'no-file-for-path' } })
    expect(fileForPath(torrent, '/about%5Cindex.html')).toMatchObject({ ok: false, error: { code: 'no-file-for-path' } })
    // The exact-path lookup the viewer uses for a page's assets decodes the same way.
    expect(decodePath('/posts/caf%C3%A9%2Fx/a%20b')).toBe('posts/caf%C3%A9%2Fx/a b')
  })
  test('a page torrent with one HTML file serves it for the URL it was found for, whatever the path; for another URL, nothing', async () => {
    const page = await valid(mktorrent('page-mktorrent.torrent'))
    expect(fileForPath(page, '/2026/11/first-post', true)).toMatchObject({ ok: true, value: { path: 'first.html' } })
    expect(fileForPath(page, '/2026/11/second-post')).toMatchObject({ ok: false, error: { code: 'no-file-for-path' } })
  })
  test('a single-file torrent serves the URL it was found for, whatever its file is called; another URL, never', async () => {
    const release = await valid(await makeTorrent({ 'tool-1.0-final.tar.gz': 'bytes' }, 'tool-1.0-final.tar.gz'))
    expect(release.multiFile).toBe(false)
    expect(fileForPath(release, '/releases/tool-1.0.tar.gz', true)).toMatchObject({ ok: true, value: { path: 'tool-1.0-final.tar.gz' } })
    expect(fileForPath(release, '/releases/tool-2.0.tar.gz')).toMatchObject({ ok: false, error: { code: 'no-file-for-path' } })
    expect(fileForPath(release, '/tool-1.0-final.tar.gz')).toMatchObject({ ok: true })
  })
})
