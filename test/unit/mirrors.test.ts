import fc from 'fast-check'
import { expect, test } from 'vitest'
import { reportRuns, runs } from './fuzz-runs.ts'
import { mirrorAssetUrl, usableMirrors } from '../../src/copy/mirror-copy.ts'

const context = (page: string, allowPrivateHosts = false): { page: string, allowPrivateHosts: boolean, offSites: string[] } => ({ page, allowPrivateHosts, offSites: [] })

test('a public site cannot send its readers to their own network, nor anywhere but http(s)', () => {
  const named = ['https://mirror.example.net/a', 'http://192.168.1.1/', 'http://127.0.0.1:8080/a', 'http://router.local/', 'ftp://mirror.example.net/a', 'javascript:alert(1)', 'not a url']
  expect(usableMirrors(named, context('https://blog.example.com/a'))).toEqual(['https://mirror.example.net/a'])
  // The reader allowed private hosts, or the page is on one itself: its mirrors may be too.
  expect(usableMirrors(named, context('https://blog.example.com/a', true))).toEqual(named.slice(0, 4))
  expect(usableMirrors(named, context('http://intranet.corp/a'))).toEqual(named.slice(0, 4))
})

test('a mirrored page’s files stay on the mirror’s origin, under its prefix', () => {
  const page = 'https://blog.example/posts/a.html'
  const mirror = 'https://mirror.example/blog.example/posts/a.html'
  expect(mirrorAssetUrl(mirror, page, '/style.css')).toBe('https://mirror.example/blog.example/style.css')
  expect(mirrorAssetUrl(mirror, page, '/img/a b.png')).toBe('https://mirror.example/blog.example/img/a%20b.png')
  // The mirror serves the page at the same path: every path of its origin is the site's.
  expect(mirrorAssetUrl('http://mirror.example:8080/posts/a.html', page, '/s.png')).toBe('http://mirror.example:8080/s.png')
  // A mirror URL that does not end with the page's path serves the page alone.
  expect(mirrorAssetUrl('https://mirror.example/copy.html', page, '/style.css')).toBeNull()
})

test('no spelling of a path leaves the mirror or its prefix', () => {
  const page = 'https://blog.example/'
  for (const mirror of ['http://mirror.example:8080/', 'http://mirror.example:8080/blog.example/']) {
    for (const path of ['//127.0.0.1:9/s.png', '//127.0.0.1:9', '/\\127.0.0.1:9/s.css', '\\\\127.0.0.1/x', '/%2F%2F127.0.0.1:9/s', '/%2f127.0.0.1', '/%5C%5C127.0.0.1/x',
      '/%5c127.0.0.1', 'http://127.0.0.1:9/s.png', '127.0.0.1:9/x', '', '/a\n/b', '/a\t//b']) {
      expect(mirrorAssetUrl(mirror, page, path), `${mirror} ${JSON.stringify(path)}`).toBeNull()
    }
    for (const path of ['/../../../admin', '/a/../../x', '/%2e%2e/%2e%2e/x', '/.%2e/x']) {
      const url = mirrorAssetUrl(mirror, page, path)
      if (url !== null) expect(url.startsWith(mirror), `${mirror} ${path}`).toBe(true)
    }
  }
  expect(mirrorAssetUrl('http://mirror.example:8080/blog.example/', page, '/../x')).toBeNull()
})

reportRuns('mirrors')

test('whatever path a copy asks for, the address made of it is on the mirror’s origin and under its prefix', () => {
  const segment = fc.oneof(fc.constantFrom('', '.', '..', '%2e%2e', '.%2E', '%2F', '%5c', '\\', '/', '//', '127.0.0.1:9', '[::1]', 'a?b', 'a#b', '@evil', ':80', '%00', '\t'), fc.string({ maxLength: 8 }))
  const path = fc.array(segment, { maxLength: 8 }).map((parts) => parts.join('/'))
  const mirrors = fc.constantFrom('http://mirror.example:8080/', 'https://mirror.example/site/', 'https://mirror.example/a/b/page.html')
  fc.assert(fc.property(mirrors, fc.oneof(path, path.map((p) => `/${p}`), fc.string()), (mirror, asked) => {
    const page = mirror.endsWith('page.html') ? 'https://blog.example/page.html' : 'https://blog.example/'
    const url = mirrorAssetUrl(mirror, page, asked)
    if (url === null) return true
    const made = new URL(url)
    const prefix = new URL(mirror).pathname.slice(0, new URL(mirror).pathname.length - new URL(page).pathname.length)
    return made.origin === new URL(mirror).origin && made.pathname.startsWith(`${prefix}/`) && made.search === '' && made.hash === ''
  }), { numRuns: runs(2000) })
})
