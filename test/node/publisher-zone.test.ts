// The publisher's zone fragment decodes, with the extension's own decoder, to the torrents it was
// made from — at the names the extension looks up.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import parseTorrent from 'parse-torrent'
import { expect, test } from 'vitest'
import { zoneFragment, type PublishedTorrent } from '../../src/publisher/zone.ts'
import { decodeTorrentRecords } from '../../src/protocol/txt-records.ts'

const pageTorrent = readFileSync('test/fixtures/torrents/page-mktorrent.torrent')
const siteTorrent = readFileSync('test/fixtures/torrents/site-mktorrent.torrent')

async function published (bytes: Uint8Array, url: string, scope: 'page' | 'site'): Promise<PublishedTorrent & { infoHash: string }> {
  const parsed = await parseTorrent(bytes) as { infoHash: string }
  return { url, scope, torrentFile: bytes, magnetUri: `magnet:?xt=urn:btih:${parsed.infoHash}&dn=x`, infoHash: parsed.infoHash }
}

test('page and site records decode back to the same info hashes, at the names the extension asks for', async () => {
  const page = await published(pageTorrent, 'https://blog.example/posts/1?lang=en', 'page')
  const site = await published(siteTorrent, 'https://blog.example/', 'site')
  const zone = await zoneFragment([page, site])
  if (!zone.ok) throw zone.error
  const pageName = `${createHash('sha1').update('/posts/1?lang=en').digest('hex')}._torrent.blog.example.`
  for (const [name, expected] of [[pageName, page.infoHash], ['_torrent.blog.example.', site.infoHash]] as const) {
    const records = zone.value.records.filter((record) => record.name === name).map((record) => record.strings)
    expect(records.length).toBeGreaterThan(0)
    const decoded = decodeTorrentRecords(records, name)
    if (!decoded.ok || decoded.value === null) throw new Error(`${name} did not decode`)
    const infoHash = decoded.value.kind === 'torrent' ? (await parseTorrent(decoded.value.bytes) as { infoHash: string }).infoHash : decoded.value.magnet.infoHash
    expect(infoHash).toBe(expected)
  }
  expect(zone.value.text).toMatch(/^_torrent\.blog\.example\. 300 IN TXT "torrent 1\/\d+ /m)
  expect(zone.value.text.split('\n').filter((line) => line.includes(' IN TXT ')).every((line) => line.match(/"[^"]{256,}"/) === null)).toBe(true)
})

test('magnet form when asked, or when a torrent is too big for DNS — and the site owner is told', async () => {
  const page = await published(pageTorrent, 'https://blog.example/', 'page')
  const asMagnet = await zoneFragment([page], { form: 'magnet' })
  if (!asMagnet.ok) throw asMagnet.error
  expect(asMagnet.value.records).toHaveLength(1)
  expect(asMagnet.value.records[0]?.strings.join('')).toMatch(/^magnet:\?xt=urn:btih:/)

  const huge = { ...page, torrentFile: new Uint8Array(70 * 1024) }
  const fellBack = await zoneFragment([huge], { form: 'torrent' })
  if (!fellBack.ok) throw fellBack.error
  expect(fellBack.value.records[0]?.strings.join('')).toMatch(/^magnet:/)
  expect(fellBack.value.notes.join(' ')).toMatch(/more than the 65536 DNS can carry; published as a magnet link instead/)
})

test('two torrents for one name are refused, not silently overwritten', async () => {
  const one = await published(pageTorrent, 'https://blog.example/a', 'page')
  const two = await published(siteTorrent, 'https://blog.example/a#top', 'page')
  const zone = await zoneFragment([one, two])
  expect(zone.ok).toBe(false)
  if (!zone.ok) expect(zone.error.code).toBe('txt-conflict')
})
