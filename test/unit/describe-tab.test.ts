import { expect, test } from 'vitest'
import { describeTab } from '../../src/popup/describe-tab.ts'
import { english } from './english.ts'

test('the popup names a failure in words and keeps the browser’s error text', () => {
  expect(describeTab({ phase: 'watching', url: 'http://a.test/', since: 0 }, { url: 'http://a.test/', kind: 'connection-refused', error: 'net::ERR_CONNECTION_REFUSED', at: 0 }, null, english))
    .toBe('The last load of http://a.test/ failed: the server refused the connection (net::ERR_CONNECTION_REFUSED).')
})

test('the popup says when a site points to copies, and when over plain HTTP', () => {
  const pointers = { url: 'http://a.test/', torrents: [{ kind: 'url' as const, url: 'http://a.test/a.torrent' }], mirrors: ['http://m.test/'], digests: {}, seenAt: 0 }
  expect(describeTab(null, null, { ...pointers, secure: false }, english)).toBe('This site points to copies of its pages (a torrent and a mirror), over plain HTTP.')
  expect(describeTab(null, null, { ...pointers, secure: true, mirrors: [] }, english)).toBe('This site points to copies of its pages (a torrent).')
  expect(describeTab(null, null, null, english)).toMatch(/loaded normally/)
})

test('the popup says when Peerback is paused or off for the site, unless a copy is open in the tab', () => {
  const failed = { url: 'http://a.test/', kind: 'connection-refused' as const, error: 'net::ERR_CONNECTION_REFUSED', at: 0 }
  expect(describeTab(null, failed, null, english, { reason: 'site', host: 'a.test' })).toBe('Peerback is off for a.test: it does nothing on this site.')
  expect(describeTab({ phase: 'watching', url: 'http://a.test/', since: 0 }, null, null, english, { reason: 'paused' })).toMatch(/^Peerback is paused everywhere/)
  expect(describeTab({ phase: 'seeding', url: 'http://a.test/', since: 0 }, null, null, english, { reason: 'paused' })).toMatch(/sharing it with other readers/)
})

test('the popup names each failover phase, and why there is no copy', () => {
  expect(describeTab({ phase: 'seeding', url: 'http://a.test/', since: 0 }, null, null, english)).toMatch(/sharing it with other readers/)
  expect(describeTab({ phase: 'no-copy', url: 'http://a.test/', since: 0, message: 'No DNS record.' }, null, null, english)).toBe('No DNS record.')
  expect(describeTab({ phase: 'offered', url: 'http://a.test/', since: 0, message: 'The site is slow.' }, null, null, english)).toBe('The site is slow.')
})
