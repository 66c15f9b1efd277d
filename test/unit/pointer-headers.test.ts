import { describe, expect, test } from 'vitest'
import { pickPointerHeaders } from '../../src/protocol/pointer-headers.ts'

describe('pickPointerHeaders', () => {
  test('keeps torrent, mirror and digest headers, lowercased, every value in order', () => {
    expect(pickPointerHeaders([
      { name: 'Content-Type', value: 'text/html' },
      { name: 'X-Torrent', value: ' https://example.com/page.torrent ' },
      { name: 'X-Mirrored-By', value: 'https://mirror-a.example/' },
      { name: 'x-mirrored-by', value: 'https://mirror-b.example/' },
      { name: 'Digest', value: 'SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=' },
      { name: 'Set-Cookie', value: 'a=b' }
    ])).toEqual({
      'x-torrent': ['https://example.com/page.torrent'],
      'x-mirrored-by': ['https://mirror-a.example/', 'https://mirror-b.example/'],
      digest: ['SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=']
    })
  })

  test('keeps Link headers that name a torrent or a mirror, drops the rest', () => {
    expect(pickPointerHeaders([
      { name: 'Link', value: '</style.css>; rel=preload; as=style' },
      { name: 'Link', value: '<https://example.com/>; rel="canonical"' },
      { name: 'Link', value: '</p.torrent>; rel="describedby"; type="application/x-bittorrent"' },
      { name: 'Link', value: '<https://mirror.example/p>; rel=duplicate; pri=1' }
    ])).toEqual({
      link: [
        '</p.torrent>; rel="describedby"; type="application/x-bittorrent"',
        '<https://mirror.example/p>; rel=duplicate; pri=1'
      ]
    })
  })

  test('a response without pointers gives null, and empty or missing values are ignored', () => {
    expect(pickPointerHeaders([])).toBeNull()
    expect(pickPointerHeaders([{ name: 'X-Torrent', value: '   ' }, { name: 'X-MD5' }, { name: 'Server', value: 'nginx' }])).toBeNull()
  })
})
