// DNS names, TXT records and DNS wire answers, from dns-packet and from a real resolver (unbound).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import dnsPacket from 'dns-packet'
import { describe, expect, test } from 'vitest'
import { readTxtAnswer, encodeTxtQuery } from '../../src/protocol/dns-message.ts'
import { requestTarget, torrentRecordNames } from '../../src/protocol/dns-names.ts'
import { decodeTorrentRecords, encodeTorrentRecords } from '../../src/protocol/txt-records.ts'

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

describe('record names', () => {
  test('the request-target keeps the query and the browser’s percent-encoding, never the fragment', () => {
    expect(requestTarget(new URL('https://a.example'))).toBe('/')
    expect(requestTarget(new URL('https://a.example/a b/café?q=ü&x#frag'))).toBe('/a%20b/caf%C3%A9?q=%C3%BC&x')
    expect(requestTarget(new URL('https://a.example/p?'))).toBe('/p?')
    expect(requestTarget(new URL('https://user:pw@a.example:8443/p?x=1'))).toBe('/p?x=1')
  })

  test('page and site names: SHA-1 of the request-target, punycode host without port', async () => {
    expect(await torrentRecordNames('https://Bücher.example:8443/posts/1?ref=feed#top')).toEqual({
      ok: true,
      value: {
        requestTarget: '/posts/1?ref=feed',
        page: `${sha1('/posts/1?ref=feed')}._torrent.xn--bcher-kva.example`,
        site: '_torrent.xn--bcher-kva.example'
      }
    })
    const root = await torrentRecordNames('http://blog.example.org/')
    expect(root.ok && root.value.page).toBe('42099b4af021e53fd8fd4e056c2568d7c2e3ffa8._torrent.blog.example.org')
  })

  test('IP-literal hosts have no record: a typed error, no name to query', async () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]/x', 'http://0x7f.1/']) {
      expect(await torrentRecordNames(url)).toMatchObject({ ok: false, error: { code: 'ip-literal-host' } })
    }
    expect(await torrentRecordNames('file:///etc/hosts')).toMatchObject({ ok: false, error: { code: 'not-http' } })
    expect(await torrentRecordNames('not a url')).toMatchObject({ ok: false, error: { code: 'bad-url' } })
  })
})

describe('TXT records', () => {
  const magnet = 'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056'
  test('one record’s strings are joined; other texts are ignored', () => {
    expect(decodeTorrentRecords([['v=spf1 -all'], [magnet.slice(0, 30), magnet.slice(30)], ['google-site-verification=x']], 'n'))
      .toMatchObject({ ok: true, value: { kind: 'magnet', magnet: { infoHash: 'c9e15763f722f23e98a29decdfae341b98d53056' } } })
    expect(decodeTorrentRecords([['v=spf1 -all']], 'n')).toEqual({ ok: true, value: null })
    expect(decodeTorrentRecords([], 'n')).toEqual({ ok: true, value: null })
  })
  test('chunks in any order join into the torrent', () => {
    const bytes = new Uint8Array(5000).map((_, i) => (i * 7) % 256)
    const encoded = encodeTorrentRecords(bytes, 1000)
    if (!encoded.ok) throw encoded.error
    expect(encoded.value.length).toBe(7)
    expect(encoded.value.flat().every((string) => string.length <= 255)).toBe(true)
    expect(decodeTorrentRecords([...encoded.value].reverse(), 'n')).toEqual({ ok: true, value: { kind: 'torrent', bytes } })
  })
  test('conflicts, gaps and oversize are errors that say what is wrong', () => {
    const other = 'magnet:?xt=urn:btih:0000000000000000000000000000000000000001'
    expect(decodeTorrentRecords([[magnet], [other]], 'n')).toMatchObject({ ok: false, error: { code: 'txt-conflict' } })
    expect(decodeTorrentRecords([[magnet], ['torrent 1/1 ZGU=']], 'n')).toMatchObject({ ok: false, error: { code: 'txt-conflict' } })
    expect(decodeTorrentRecords([['torrent 1/2 ZGU='], ['torrent 1/2 ZGV=']], 'n')).toMatchObject({ ok: false, error: { code: 'txt-conflict' } })
    expect(decodeTorrentRecords([['torrent 1/2 ZGU='], ['torrent 2/3 ZGU=']], 'n')).toMatchObject({ ok: false, error: { code: 'txt-conflict' } })
    expect(decodeTorrentRecords([['torrent 1/3 ZGU='], ['torrent 3/3 ZGU=']], 'x.test')).toMatchObject({ ok: false, error: { code: 'txt-incomplete', message: 'x.test has 2 of 3 torrent chunks; missing 2.' } })
    expect(decodeTorrentRecords([['torrent 0/1 ZGU=']], 'n')).toMatchObject({ ok: false, error: { code: 'txt-bad-chunk' } })
    expect(decodeTorrentRecords([['torrent 1/1 Z-U=']], 'n')).toMatchObject({ ok: false, error: { code: 'txt-bad-chunk' } })
    expect(decodeTorrentRecords([['torrent 1/1 ZGU']], 'n')).toMatchObject({ ok: false, error: { code: 'txt-bad-chunk' } })
    expect(encodeTorrentRecords(new Uint8Array(64 * 1024 + 1))).toMatchObject({ ok: false, error: { code: 'txt-too-large' } })
  })
  test('the same chunk twice is fine; a lone malformed magnet is an error', () => {
    expect(decodeTorrentRecords([['torrent 1/1 ZGU='], ['torrent 1/1 ZGU=']], 'n')).toEqual({ ok: true, value: { kind: 'torrent', bytes: new Uint8Array([0x64, 0x65]) } })
    expect(decodeTorrentRecords([['magnet:?xt=urn:btih:nothex']], 'n')).toMatchObject({ ok: false, error: { code: 'bad-magnet' } })
  })
})

describe('DNS wire answers', () => {
  const unbound: Record<string, string> = JSON.parse(readFileSync('test/fixtures/dns/unbound-answers.json', 'utf8')).answers
  const wire = (key: string): Uint8Array => new Uint8Array(Buffer.from(unbound[key] as string, 'hex'))

  test('unbound: a magnet split over two strings next to an SPF record', () => {
    const answer = readTxtAnswer(wire('site'), '_torrent.blog.example.org')
    if (!answer.ok || answer.value === null) throw new Error('no answer')
    expect(answer.value.authenticated).toBe(false)
    expect(decodeTorrentRecords(answer.value.records, '_torrent.blog.example.org')).toMatchObject({
      ok: true, value: { kind: 'magnet', magnet: { infoHash: 'c9e15763f722f23e98a29decdfae341b98d53056', name: 'blog', trackers: ['wss://tracker.example.org'] } }
    })
  })
  test('unbound: two torrent chunks out of order', () => {
    const answer = readTxtAnswer(wire('page'), 'page')
    if (!answer.ok || answer.value === null) throw new Error('no answer')
    const record = decodeTorrentRecords(answer.value.records, 'page')
    expect(record.ok && record.value?.kind === 'torrent' && new TextDecoder().decode(record.value.bytes)).toBe('d8:announce24:wss://tracker.example.orgde')
  })
  test('unbound: NXDOMAIN and NOERROR without TXT both mean no record', () => {
    expect(readTxtAnswer(wire('nxdomain'), 'x')).toEqual({ ok: true, value: null })
    expect(readTxtAnswer(wire('nodata'), 'x')).toEqual({ ok: true, value: null })
  })
  test('dns-packet: the AD bit, SERVFAIL, garbage and questions', () => {
    const answer = (flags: number, rcode = 0): Uint8Array => new Uint8Array(dnsPacket.encode({
      type: 'response', id: 0, flags: flags | rcode, questions: [{ type: 'TXT', name: 'n' }],
      answers: rcode === 0 ? [{ type: 'TXT', name: 'n', data: ['torrent 1/1 ZGU='] }] : []
    }))
    expect(readTxtAnswer(answer(dnsPacket.AUTHENTIC_DATA), 'n')).toMatchObject({ ok: true, value: { authenticated: true } })
    expect(readTxtAnswer(answer(0, 2), 'n')).toMatchObject({ ok: false, error: { code: 'dns-failed', message: expect.stringContaining('SERVFAIL') } })
    expect(readTxtAnswer(new Uint8Array([1, 2, 3]), 'n')).toMatchObject({ ok: false, error: { code: 'dns-unreadable' } })
    expect(readTxtAnswer(encodeTxtQuery('n'), 'n')).toMatchObject({ ok: false, error: { code: 'dns-unreadable' } })
  })
  test('the query asks for TXT with recursion and the AD bit, id 0', () => {
    const query = dnsPacket.decode(Buffer.from(encodeTxtQuery('_torrent.blog.example.org')))
    expect(query).toMatchObject({ id: 0, flag_rd: true, flag_ad: true, questions: [{ type: 'TXT', name: '_torrent.blog.example.org' }] })
  })
})
