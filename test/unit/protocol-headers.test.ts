// Pointer headers, read from header sets of real servers (test/fixtures/headers).
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseDigests } from '../../src/protocol/digests.ts'
import { parseLinkHeader } from '../../src/protocol/link-header.ts'
import { parseTorrentPointer, pickPointerHeaders, readPointers } from '../../src/protocol/pointer-headers.ts'

interface HeaderFixture { url: string, headers: Array<[string, string]> }
const fixture = (name: string): HeaderFixture => JSON.parse(readFileSync(`test/fixtures/headers/${name}.json`, 'utf8'))
const pointersOf = (name: string): ReturnType<typeof readPointers> => {
  const { url, headers } = fixture(name)
  return readPointers(pickPointerHeaders(headers.map(([name, value]) => ({ name, value }))) ?? {}, url)
}

describe('real header sets', () => {
  test('MirrorBrain: the torrent link, five mirrors in order, MD5 and SHA-256 digests', () => {
    const pointers = pointersOf('mirrorbrain-redirect')
    expect(pointers.torrents).toEqual([{ kind: 'url', url: expect.stringMatching(/en-US\.tar\.gz\.torrent$/) }])
    expect(pointers.mirrors).toHaveLength(5)
    expect(pointers.mirrors[0]).toMatch(/^http:\/\/ftp\.halifax\.rwth-aachen\.de\//)
    expect(pointers.mirrors[4]).toMatch(/^http:\/\/ftp\.ntua\.gr\//)
    expect(pointers.digests).toEqual({
      md5: '7216513b3463cbbf75cd86f9994864dc',
      sha256: '54ed92f69802ab596a8131532acb158fa6a69f49e935d6a0b6323cce20ed8914'
    })
    expect(pointers.problems).toEqual([])
  })

  test('preload, pagination and canonical links are not pointers', () => {
    const { headers } = fixture('preload-and-pagination')
    expect(pickPointerHeaders(headers.map(([name, value]) => ({ name, value })))).toBeNull()
  })

  test('a site published by peerback: X-Torrent first, Link second, mirrors deduplicated, digests agree', () => {
    const pointers = pointersOf('peerback-site')
    expect(pointers.torrents).toEqual([
      { kind: 'url', url: 'https://blog.example.org/torrents/posts/first.torrent' },
      { kind: 'url', url: 'https://blog.example.org/torrents/site.torrent' }
    ])
    expect(pointers.mirrors).toEqual([
      'https://mirror.example.net/blog/posts/first.html',
      'https://mirror-a.example.com/blog/posts/first.html',
      'https://mirror-b.example.com/blog/posts/first.html'
    ])
    expect(pointers.digests).toEqual({
      md5: '8e1d9a5e1c3c6b54e7f0b1a3c6d2e9f0',
      sha256: '5f8f04f6a3a892aaabbddb6cf273894493773960d4a325b105fee46eef4304f1'
    })
    expect(pointers.problems).toEqual([])
  })
})

describe('X-Torrent', () => {
  test('a relative URL resolves against the response URL; the fragment is dropped', () => {
    expect(parseTorrentPointer('../t/page.torrent#x', 'https://a.example/blog/post.html', 'X-Torrent'))
      .toEqual({ ok: true, value: { kind: 'url', url: 'https://a.example/t/page.torrent' } })
  })
  test('a magnet link with trackers, web seeds and a name', () => {
    const result = parseTorrentPointer('magnet:?xt=urn:btih:C9E15763F722F23E98A29DECDFAE341B98D53056&dn=My+blog&tr=wss%3A%2F%2Ft.example&ws=https%3A%2F%2Fa.example%2F', 'https://a.example/', 'X-Torrent')
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'magnet',
        magnet: {
          infoHash: 'c9e15763f722f23e98a29decdfae341b98d53056',
          name: 'My blog',
          trackers: ['wss://t.example'],
          webSeeds: ['https://a.example/'],
          uri: expect.stringMatching(/^magnet:/)
        }
      }
    })
  })
  test('a base32 info hash is converted to hex', () => {
    const result = parseTorrentPointer('magnet:?xt=urn:btih:ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW', 'https://a.example/', 'X-Torrent')
    expect(result.ok && result.value.kind === 'magnet' && result.value.magnet.infoHash).toBe('c9e15763f722f23e98a29decdfae341b98d53056')
  })
  test('bad values give typed errors that quote them', () => {
    expect(parseTorrentPointer('javascript:alert(1)', 'https://a.example/', 'X-Torrent')).toMatchObject({ ok: false, error: { code: 'not-http' } })
    expect(parseTorrentPointer('http://[::1', 'https://a.example/', 'X-Torrent')).toMatchObject({ ok: false, error: { code: 'bad-url' } })
    expect(parseTorrentPointer('magnet:?dn=nohash', 'https://a.example/', 'X-Torrent')).toMatchObject({ ok: false, error: { code: 'bad-magnet' } })
    expect(parseTorrentPointer('magnet:?xt=urn:btih:%zz', 'https://a.example/', 'X-Torrent')).toMatchObject({ ok: false, error: { code: 'bad-magnet', message: expect.stringContaining('%zz') } })
  })
})

describe('Link', () => {
  test('several links, quoted values with commas and escapes, odd spacing', () => {
    expect(parseLinkHeader('<a.torrent>;rel="describedby";title="a, \\"b\\"" ,  < https://m.example/x >  ;  rel = duplicate ; pri=2')).toEqual({
      links: [
        { target: 'a.torrent', params: { rel: 'describedby', title: 'a, "b"' } },
        { target: 'https://m.example/x', params: { rel: 'duplicate', pri: '2' } }
      ],
      problems: []
    })
  })
  test('a malformed link is skipped and reported; the rest still count', () => {
    const parsed = parseLinkHeader('no-brackets; rel=duplicate, <https://m.example/>; rel=duplicate, <https://x.example/>; title="open')
    expect(parsed.links).toEqual([{ target: 'https://m.example/', params: { rel: 'duplicate' } }])
    expect(parsed.problems.map((problem) => problem.code)).toEqual(['bad-link', 'bad-link'])
  })
  test('the first rel wins, names are case-insensitive, rel lists are split', () => {
    const pointers = readPointers({ link: ['<https://m.example/>; REL="duplicate describedby"; rel=next; Type="application/x-bittorrent"'] }, 'https://a.example/')
    expect(pointers.torrents).toEqual([{ kind: 'url', url: 'https://m.example/' }])
    expect(pointers.mirrors).toEqual(['https://m.example/'])
  })
})

describe('digests', () => {
  test('X-MD5 hex, Digest base64, Repr-Digest structured field', () => {
    expect(parseDigests({
      xMd5: ['d41d8cd98f00b204e9800998ecf8427e'],
      digest: ['SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=, UNIXsum=30637'],
      reprDigest: ['sha-512=:z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==:']
    })).toEqual({
      digests: {
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        sha512: 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'
      },
      problems: []
    })
  })
  test('a malformed or conflicting digest is reported and ignored', () => {
    const parsed = parseDigests({
      xMd5: ['not-hex'],
      digest: ['SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='],
      reprDigest: ['sha-256=:VO2S9pgCq1lqgTFTKssVj6amn0npNdagtjI8ziDtiRQ=:', 'sha-256=:AAAA:']
    })
    expect(parsed.digests).toEqual({ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
    expect(parsed.problems.map((problem) => problem.code)).toEqual(['bad-digest', 'bad-digest', 'bad-digest'])
  })
})

describe('hostile header sizes (bounded, linear work)', () => {
  const MiB = 1024 * 1024
  // Each of these took quadratic time in some parser: a page's response must never hold the background.
  const adversarial = {
    'rel= runs': 'rel=x '.repeat(MiB / 6),
    'unclosed <': '<'.repeat(MiB),
    'unclosed < with commas': '<a,'.repeat(MiB / 3),
    'a long rel value': `<https://a.example/t>; rel="${'describedby'.repeat(MiB / 11)}`,
    'quotes': '<a>; x="'.repeat(MiB / 8),
    'digests': 'sha-256=:'.repeat(MiB / 9)
  }
  test.each(Object.entries(adversarial))('a 1 MiB Link header of %s is read in linear time', (_name, value) => {
    expect(value.length).toBeGreaterThan(MiB - 16)
    const links = parseLinkHeader(value)
    expect(links.links.length + links.problems.length).toBeGreaterThan(0)
    // As a response header it is past the cap and never parsed at all.
    expect(pickPointerHeaders([{ name: 'Link', value }, { name: 'Repr-Digest', value }, { name: 'X-Torrent', value }])).toBeNull()
  })
  test('a header just under the cap is read; one past it is not', () => {
    const url = '/site.torrent'
    const padded = (size: number): string => `<${url}>; rel=describedby; type="application/x-bittorrent"; x="${'a'.repeat(size)}"`
    const under = padded(16 * 1024 - padded(0).length)
    expect(under).toHaveLength(16 * 1024)
    expect(readPointers(pickPointerHeaders([{ name: 'Link', value: under }]) ?? {}, 'https://blog.example/').torrents).toEqual([{ kind: 'url', url: 'https://blog.example/site.torrent' }])
    expect(pickPointerHeaders([{ name: 'Link', value: `${under}a` }])).toBeNull()
  })
  test('one header sent a thousand times is read sixteen times', () => {
    const headers = Array.from({ length: 1000 }, (_, index) => ({ name: 'X-Mirrored-By', value: `https://m${index}.example/` }))
    expect(pickPointerHeaders(headers)?.['x-mirrored-by']).toHaveLength(16)
  })
})
