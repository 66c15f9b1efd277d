import { expect, test } from 'vitest'
import { usableMirrors } from '../../src/viewer/mirror-copy.ts'

test('a public site cannot send its readers to their own network, nor anywhere but http(s)', () => {
  const named = ['https://mirror.example.net/a', 'http://192.168.1.1/', 'http://127.0.0.1:8080/a', 'http://router.local/', 'ftp://mirror.example.net/a', 'javascript:alert(1)', 'not a url']
  expect(usableMirrors(named, 'https://blog.example.com/a', false)).toEqual(['https://mirror.example.net/a'])
  // The reader allowed private hosts, or the page is on one itself: its mirrors may be too.
  expect(usableMirrors(named, 'https://blog.example.com/a', true)).toEqual(named.slice(0, 4))
  expect(usableMirrors(named, 'http://intranet.corp/a', false)).toEqual(named.slice(0, 4))
})
