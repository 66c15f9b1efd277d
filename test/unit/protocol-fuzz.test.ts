// Property-based tests: any input to a protocol parser either parses or yields a typed
// ProtocolError; nothing else escapes. Round-trips hold for random torrents and chunk orders.
import bencode from 'bencode'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { parseDigests } from '../../src/protocol/digests.ts'
import { readTxtAnswer } from '../../src/protocol/dns-message.ts'
import { torrentRecordNames } from '../../src/protocol/dns-names.ts'
import { ProtocolError, type Result } from '../../src/protocol/errors.ts'
import { parseLinkHeader, relationsOf } from '../../src/protocol/link-header.ts'
import { parseMagnet } from '../../src/protocol/magnet.ts'
import { readPointers, type PointerHeaders } from '../../src/protocol/pointer-headers.ts'
import { readTorrentFile } from '../../src/protocol/torrent-file.ts'
import { fileForPath } from '../../src/protocol/torrent-paths.ts'
import { decodeTorrentRecords, encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { reportRuns, runs } from './fuzz-runs.ts'

reportRuns('protocol-fuzz')
const isTyped = (result: Result<unknown>): boolean => result.ok || result.error instanceof ProtocolError

// Header-ish text: mostly the characters that matter to the grammars, sometimes anything.
// Link-shaped text: the pieces of the grammar in random order, so parsers meet half-built links.
const linkish = fc.array(fc.constantFrom('<https://m.example/a>', '</x.torrent>', '<', '>', ';', '; ', 'rel=', 'rel="', '"', '\\', 'duplicate', 'describedby', ', ', ',', 'type="application/x-bittorrent"', 'type=application/x-bittorrent', ' ', 'title="a,b"', '=', '<javascript:alert(1)>'), { maxLength: 16 }).map((parts) => parts.join(''))
const headerText = fc.oneof(
  linkish,
  fc.string({ unit: fc.constantFrom('<', '>', ';', ',', '=', '"', '\\', ' ', '\t', 'r', 'e', 'l', 'a', ':', '/', '?', '%', 'magnet:?xt=urn:btih:', 'describedby', 'duplicate', 'type=application/x-bittorrent', 'http://', '..', '#'), maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true })
)
const baseUrl = fc.webUrl({ withQueryParameters: true })

describe('no exception escapes a parser', () => {
  test('Link headers', () => {
    fc.assert(fc.property(headerText, (header) => {
      const { links, problems } = parseLinkHeader(header)
      expect(problems.every((problem) => problem instanceof ProtocolError)).toBe(true)
      expect(links.every((link) => typeof link.target === 'string')).toBe(true)
    }), { numRuns: runs(2000) })
  })

  test('every pointer header at once', () => {
    const values = fc.array(headerText, { maxLength: 3 })
    const headers = fc.record({ 'x-torrent': values, link: values, 'x-mirrored-by': values, 'x-md5': values, digest: values, 'repr-digest': values }, { requiredKeys: [] })
    fc.assert(fc.property(headers, baseUrl, (picked: PointerHeaders, url) => {
      const pointers = readPointers(picked, url)
      expect(pointers.problems.every((problem) => problem instanceof ProtocolError)).toBe(true)
      // Only http(s) URLs and magnets come out: never javascript:, data: or extension URLs.
      for (const torrent of pointers.torrents) {
        if (torrent.kind === 'url') expect(torrent.url).toMatch(/^https?:\/\//)
        else expect(torrent.magnet.infoHash).toMatch(/^[0-9a-f]{40}$/)
      }
      for (const mirror of pointers.mirrors) expect(mirror).toMatch(/^https?:\/\//)
    }), { numRuns: runs(2000) })
  })

  test('digests', () => {
    fc.assert(fc.property(fc.array(headerText), fc.array(headerText), fc.array(headerText), (xMd5, digest, reprDigest) => {
      const { digests } = parseDigests({ xMd5, digest, reprDigest })
      for (const hex of Object.values(digests)) expect(hex).toMatch(/^[0-9a-f]+$/)
    }), { numRuns: runs(2000) })
  })

  test('magnets', () => {
    const magnetish = fc.tuple(fc.constantFrom('magnet:?', 'MAGNET:?', 'magnet:'), headerText).map(([a, b]) => a + b)
    fc.assert(fc.property(fc.oneof(magnetish, headerText), (uri) => { expect(isTyped(parseMagnet(uri))).toBe(true) }), { numRuns: runs(2000) })
  })

  test('record names', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), headerText), async (url) => {
      const names = await torrentRecordNames(url)
      expect(isTyped(names)).toBe(true)
      if (names.ok) expect(names.value.page).toMatch(/^[0-9a-f]{40}\._torrent\./)
    }), { numRuns: runs(2000) })
  })

  test('TXT records', () => {
    const string = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.tuple(fc.integer({ min: -1, max: 6 }), fc.integer({ min: -1, max: 6 }), fc.base64String({ maxLength: 40 })).map(([i, n, b]) => `torrent ${i}/${n} ${b}`),
      fc.uint8Array({ maxLength: 300 })
    )
    fc.assert(fc.property(fc.array(fc.array(string, { maxLength: 4 }), { maxLength: 8 }), (records) => {
      expect(isTyped(decodeTorrentRecords(records, 'n'))).toBe(true)
    }), { numRuns: runs(2000) })
  })

  test('DNS wire answers', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (wire) => { expect(isTyped(readTxtAnswer(wire, 'n'))).toBe(true) }), { numRuns: runs(2000) })
  })

  test('torrent files: random bytes and random bencoded dictionaries', async () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.uint8Array({ maxLength: 24 }), fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('name', 'length', 'path', 'files', 'pieces', 'piece length', 'path.utf-8'), tie('any'), { maxKeys: 4 }))
    })).any
    const info = fc.record({ name: value, 'piece length': fc.oneof(fc.constant(16384), value), pieces: value, length: value, files: value }, { requiredKeys: [] })
    const torrent = fc.oneof(fc.uint8Array({ maxLength: 200 }), info.map((dict) => bencode.encode({ announce: 'wss://t.example', info: dict })))
    await fc.assert(fc.asyncProperty(torrent, async (bytes) => {
      const result = await readTorrentFile(bytes, { maxTotalBytes: 1 << 20 })
      expect(isTyped(result)).toBe(true)
      if (result.ok) {
        for (const file of result.value.files) {
          expect(file.path.split('/').every((part) => part !== '' && part !== '..' && part !== '.')).toBe(true)
          expect(isTyped(fileForPath(result.value, '/' + file.path))).toBe(true)
        }
      }
    }), { numRuns: runs(500) })
  })
})

describe('round trips', () => {
  test('a magnet link made from any info hash, name, trackers and web seeds reads back the same', () => {
    const hex = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(''))
    const url = fc.webUrl({ validSchemes: ['https', 'wss'], withQueryParameters: true })
    fc.assert(fc.property(hex, fc.string({ maxLength: 40 }), fc.array(url, { maxLength: 3 }), (infoHash, name, trackers) => {
      const uri = `magnet:?xt=urn:btih:${infoHash}&dn=${encodeURIComponent(name)}${trackers.map((tracker) => `&tr=${encodeURIComponent(tracker)}`).join('')}`
      const magnet = parseMagnet(uri)
      expect(magnet.ok && magnet.value.infoHash).toBe(infoHash)
      if (magnet.ok) expect(magnet.value.trackers).toEqual([...new Set(trackers)])
    }), { numRuns: runs(2000) })
  })

  test('a Link header written from any targets and relations reads back the same', () => {
    const target = fc.webUrl({ withQueryParameters: true }).filter((url) => !/[<>,;"]/.test(url))
    const rel = fc.subarray(['describedby', 'duplicate', 'alternate', 'next'], { minLength: 1 })
    fc.assert(fc.property(fc.array(fc.tuple(target, rel, fc.boolean()), { minLength: 1, maxLength: 5 }), (links) => {
      const header = links.map(([url, rels, quoted]) => `<${url}>; rel=${quoted ? `"${rels.join(' ')}"` : rels[0]}`).join(', ')
      const parsed = parseLinkHeader(header)
      expect(parsed.problems).toEqual([])
      expect(parsed.links.map((link) => [link.target, relationsOf(link)])).toEqual(links.map(([url, rels, quoted]) => [url, quoted ? rels : [rels[0]]]))
    }), { numRuns: runs(2000) })
  })

  test('a torrent cut into TXT chunks and served in any order decodes to the same bytes', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 64 * 1024 }),
      fc.integer({ min: 4, max: 4000 }),
      fc.infiniteStream(fc.nat()),
      (bytes, chunkChars, randomness) => {
        const encoded = encodeTorrentRecords(bytes, chunkChars)
        if (!encoded.ok) throw encoded.error
        const shuffled = [...encoded.value].map((record) => ({ record, key: randomness.next().value as number })).sort((a, b) => a.key - b.key).map(({ record }) => record)
        expect(decodeTorrentRecords([['v=spf1 -all'], ...shuffled], 'n')).toEqual({ ok: true, value: { kind: 'torrent', bytes } })
      }
    ), { numRuns: runs(300) })
  })
})
