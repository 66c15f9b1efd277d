import { expect, test } from 'vitest'
import { overloadSnippets, pointerHeaders, snippets } from '../../src/publisher/header-snippets.ts'
import { pickPointerHeaders, readPointers } from '../../src/protocol/pointer-headers.ts'

const page = { path: '/posts/1/', torrent: '/torrents/posts-1.torrent', mirrors: ['https://mirror.example/posts/1/'], md5: '0123456789abcdef0123456789abcdef', sha256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }

test('the headers a snippet sets are the ones the extension reads back', () => {
  const headers = pointerHeaders(page).map(([name, value]) => ({ name, value }))
  const picked = pickPointerHeaders(headers)
  expect(picked).not.toBeNull()
  if (picked === null) throw new Error('no pointer headers')
  const pointers = readPointers(picked, 'https://blog.example/posts/1/')
  expect(pointers.torrents.map((torrent) => torrent.kind === 'url' ? torrent.url : torrent.magnet.uri)).toContain('https://blog.example/torrents/posts-1.torrent')
  expect(pointers.mirrors).toEqual(['https://mirror.example/posts/1/'])
  expect(pointers.digests).toMatchObject({ md5: page.md5 })
})

test('nginx, Apache, Caddy and _headers say the same, each in its own syntax', () => {
  const out = snippets([page, { path: '/', torrent: 'magnet:?xt=urn:btih:' + 'a'.repeat(40), mirrors: [] }])
  expect(out.nginx).toContain('location = /posts/1/ {\n    add_header X-Torrent "/torrents/posts-1.torrent" always;')
  expect(out.nginx.match(/\{/g)?.length).toBe(out.nginx.match(/\}/g)?.length)
  expect(out.apache).toContain('<LocationMatch "^/posts/1/$">\n    Header always add X-Torrent "/torrents/posts-1.torrent"')
  expect(out.apache.match(/<LocationMatch/g)?.length).toBe(out.apache.match(/<\/LocationMatch>/g)?.length)
  expect(out.caddy).toContain('@peerback0 path /posts/1/\nheader @peerback0 {\n    +X-Torrent "/torrents/posts-1.torrent"')
  expect(out.headersFile).toContain('/posts/1/\n  X-Torrent: /torrents/posts-1.torrent\n  Link: </torrents/posts-1.torrent>; rel="describedby"; type="application/x-bittorrent"')
  // A magnet has no Link: there is no URL to describe.
  expect(out.headersFile).toMatch(/^\/\n {2}X-Torrent: magnet:\?xt=urn:btih:a{40}$/m)
  const overload = overloadSnippets('/torrents/site.torrent')
  expect(overload.nginx).toMatch(/limit_req_status 503;[\s\S]*add_header X-Torrent "\/torrents\/site\.torrent" always;/)
  expect(overload.apache).toContain('Header always set X-Torrent "/torrents/site.torrent" "expr=%{REQUEST_STATUS} == 503"')
})
