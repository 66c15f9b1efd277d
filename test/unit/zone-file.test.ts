// Reading TXT records back from zone files: the publisher's own fragment and BIND files as site
// owners keep them.
import { expect, test } from 'vitest'
import { txtRecordsOfZone } from '../../src/publisher/zone-file.ts'

test('the publisher\'s fragment: absolute names, several strings, escaped quotes', () => {
  const zone = [
    '; Peerback _torrent records: paste into the zone of the site.',
    'abc._torrent.blog.example. 300 IN TXT "torrent 1/2 QUJD" "REVG"',
    '_torrent.blog.example. 300 IN TXT "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=\\"x\\""'
  ].join('\n')
  expect(txtRecordsOfZone(zone)).toEqual([
    { name: 'abc._torrent.blog.example', strings: ['torrent 1/2 QUJD', 'REVG'] },
    { name: '_torrent.blog.example', strings: ['magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn="x"'] }
  ])
})

test('a BIND zone: $ORIGIN, @, relative and repeated owners, parentheses, comments, other types skipped', () => {
  const zone = [
    '$TTL 3600',
    '$ORIGIN Blog.Example.',
    '@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 3600 ) ; serial and timers',
    '@ IN MX 10 mail',
    '@ IN TXT "v=spf1 -all"',
    '_torrent 60 TXT ( "torrent 1/1 "',
    '  "QUJD" ) ; one record over two lines',
    '   IN TXT "second record for _torrent"',
    'www IN A 192.0.2.1',
    'semi IN TXT "a;b" "\\065"'
  ].join('\n')
  expect(txtRecordsOfZone(zone)).toEqual([
    { name: 'blog.example', strings: ['v=spf1 -all'] },
    { name: '_torrent.blog.example', strings: ['torrent 1/1 ', 'QUJD'] },
    { name: '_torrent.blog.example', strings: ['second record for _torrent'] },
    { name: 'semi.blog.example', strings: ['a;b', 'A'] }
  ])
})

test('malformed zones are refused with the line that is wrong', () => {
  expect(() => txtRecordsOfZone('a. IN TXT "open')).toThrow(/line 1: a quoted string is not closed/)
  expect(() => txtRecordsOfZone('ok. IN TXT "x"\nb. IN TXT ( "y"')).toThrow(/line 2: "\(" is never closed/)
  expect(() => txtRecordsOfZone('a. IN TXT "x" )')).toThrow(/line 1: "\)" without "\("/)
  expect(() => txtRecordsOfZone('a. 300 IN TXT')).toThrow(/line 1: a TXT record without text/)
  expect(() => txtRecordsOfZone('  IN TXT "x"')).toThrow(/line 1: a record without an owner name/)
})
