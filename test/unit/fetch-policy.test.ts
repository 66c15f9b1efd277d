// The one fetch policy (src/protocol/fetch-policy.ts): by table, then over random spellings of
// the same addresses (fast-check).
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalHost, isOffSite, isPrivateHost, judgeFetch, siteEntry } from '../../src/protocol/fetch-policy.ts'
import { reportRuns, runs } from './fuzz-runs.ts'

reportRuns('fetch-policy')

const PUBLIC_PAGE = { page: 'https://blog.example/post', allowPrivateHosts: false, offSites: [] }

describe('private hosts', () => {
  test.each([
    // loopback, unspecified, private, link-local, CGNAT
    '127.0.0.1', '127.8.9.10', '0.0.0.0', '0.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.127.255.255',
    '224.0.0.1', '255.255.255.255',
    // the URL parser's IPv4 spellings
    '0x7f.1', '0x7f000001', '2130706433', '0177.0.0.1', '0177.1', '127.1', '017700000001', '0xa.0.0.1', '3232235777', '0251.0376.0251.0376',
    // IPv6, and IPv4 inside it in every spelling
    '[::]', '[::1]', '[0:0:0:0:0:0:0:1]', '[fc00::1]', '[fd12:3456::1]', '[fe80::1]', '[febf::1]', '[fec0::1]', '[ff02::1]',
    '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', '[::ffff:192.168.1.1]', '[::ffff:a9fe:a9fe]', '[::127.0.0.1]',
    '[64:ff9b::7f00:1]', '[2002:7f00:1::]', '::1', '::ffff:10.1.2.3',
    // names
    'localhost', 'LOCALHOST', 'localhost.', 'app.localhost', 'printer', 'printer.', 'nas.local', 'NAS.Local.', 'router.lan', 'db.internal', 'x.home.arpa',
    'intranet.corp', 'box.localdomain', '%6c%6f%63%61%6c%68%6f%73%74', '127.0.0.1.', '１２７.0.0.1', 'xn--', ''
  ])('%s', (host) => { expect(isPrivateHost(host)).toBe(true) })

  test.each(['blog.example', 'example.com.', '8.8.8.8', '172.32.0.1', '172.15.0.1', '100.128.0.1', '192.169.0.1', '11.0.0.1', '[2001:db8::1]', '[2606:4700::1111]',
    '[::ffff:8.8.8.8]', 'site.test', 'localhost.example.com', 'local.example', '0x8.8.8.8'])('%s is public', (host) => {
    expect(isPrivateHost(host)).toBe(false)
  })

  test('IPv4-mapped IPv6 normalises as the URL parser writes it', () => {
    expect(canonicalHost('[::ffff:127.0.0.1]')).toBe('[::ffff:7f00:1]')
    expect(canonicalHost('0x7f.1')).toBe('127.0.0.1')
    expect(canonicalHost('Example.COM..')).toBe('example.com')
  })
})

describe('judgeFetch', () => {
  test('what a public page may name', () => {
    expect(judgeFetch('https://cdn.example/site.torrent', PUBLIC_PAGE)).toMatchObject({ ok: true })
    expect(judgeFetch('/peerback/site.torrent', PUBLIC_PAGE, PUBLIC_PAGE.page)).toMatchObject({ ok: true, url: new URL('https://blog.example/peerback/site.torrent') })
    for (const target of ['http://127.0.0.1:8080/', 'http://[::ffff:7f00:1]/', 'http://0x7f.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://localhost./', 'http://router/',
      'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1%25eth0]/', 'file:///etc/passwd', 'ftp://mirror.example/a', 'javascript:alert(1)', 'data:text/plain,x',
      'chrome-extension://abc/x', 'https://user:pass@cdn.example/', '//127.0.0.1/x']) {
      expect(judgeFetch(target, PUBLIC_PAGE, PUBLIC_PAGE.page).ok, target).toBe(false)
    }
    expect(judgeFetch('not a url', PUBLIC_PAGE)).toEqual({ ok: false, why: 'not a url is not a URL' })
  })
  test('a page on a private host, or a reader who allowed them, may name private hosts', () => {
    expect(judgeFetch('http://127.0.0.1:8080/x', { ...PUBLIC_PAGE, page: 'http://nas.local/' }).ok).toBe(true)
    expect(judgeFetch('http://192.168.1.1/x', { ...PUBLIC_PAGE, allowPrivateHosts: true }).ok).toBe(true)
    expect(judgeFetch('file:///etc/passwd', { ...PUBLIC_PAGE, allowPrivateHosts: true }).ok).toBe(false)
  })
  test('off-sites are off, whatever their case or dots', () => {
    const context = { ...PUBLIC_PAGE, offSites: ['tracker.example'] }
    for (const target of ['https://tracker.example/a', 'https://TRACKER.example./a', 'https://cdn.tracker.example/a']) expect(judgeFetch(target, context).ok, target).toBe(false)
    expect(judgeFetch('https://nottracker.example/a', context).ok).toBe(true)
  })
  test('the reasons say which host and why', () => {
    expect(judgeFetch('http://192.168.1.1/admin', PUBLIC_PAGE)).toEqual({ ok: false, why: '192.168.1.1 is on a private network, and the page is not' })
  })
})

describe('off-site entries', () => {
  test.each([
    ['example.com', 'example.com'], ['Example.COM', 'example.com'], ['  example.com.  ', 'example.com'], ['*.example.com', 'example.com'],
    ['https://www.Example.com/path?q#f', 'www.example.com'], ['example.com/some/page', 'example.com'], ['example.com:8080', 'example.com'],
    ['[::1]', '[::1]'], ['bücher.example', 'xn--bcher-kva.example']
  ])('%s → %s', (input, stored) => { expect(siteEntry(input)).toBe(stored) })
  test.each(['', '   ', 'user@example.com', 'two words', 'https://', '*.'])('%j names no host', (input) => { expect(siteEntry(input)).toBeNull() })
  test('matching ignores case and trailing dots, and covers subdomains only', () => {
    expect(isOffSite('WWW.EXAMPLE.COM.', ['example.com'])).toBe(true)
    expect(isOffSite('badexample.com', ['example.com'])).toBe(false)
  })
})

// Random spellings of the addresses a site might use to reach its readers' network.
const privateV4 = fc.oneof(
  fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255))
)
const spellV4 = (parts: number[], style: number): string => {
  const [a = 0, b = 0, c = 0, d = 0] = parts
  const whole = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d
  switch (style) {
    case 0: return parts.join('.')
    case 1: return String(whole)
    case 2: return `0x${whole.toString(16)}`
    case 3: return parts.map((part) => `0${part.toString(8)}`).join('.')
    case 4: return `${a}.${(b << 16) + (c << 8) + d}`
    case 5: return `0x${a.toString(16)}.${b}.${c}.0x${d.toString(16)}`
    case 6: return `[::ffff:${parts.join('.')}]`
    case 7: return `[::ffff:${((a << 8) + b).toString(16)}:${((c << 8) + d).toString(16)}]`
    case 8: return `[0:0:0:0:0:FFFF:${parts.join('.')}]`
    default: return `${parts.join('.')}.`
  }
}

const policyProperties = (base: number): void => {
  test('every spelling of a private IPv4 address is private', () => {
    fc.assert(fc.property(privateV4, fc.nat(9), (parts, style) => isPrivateHost(spellV4(parts, style))), { numRuns: runs(base) })
  })
  test('a public page never gets a private address approved, however the URL spells it', () => {
    const url = fc.tuple(privateV4, fc.nat(9), fc.constantFrom('http', 'https', 'HTTP'), fc.option(fc.integer({ min: 1, max: 65535 })), fc.string())
      .map(([parts, style, scheme, port, path]) => `${scheme}://${spellV4(parts, style)}${port === null ? '' : `:${port}`}/${encodeURIComponent(path)}`)
    fc.assert(fc.property(url, (target) => !judgeFetch(target, PUBLIC_PAGE).ok), { numRuns: runs(base) })
  })
  test('whatever is approved is http(s), has no credentials, and is public', () => {
    fc.assert(fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), (target) => {
      const verdict = judgeFetch(target, PUBLIC_PAGE, PUBLIC_PAGE.page)
      return !verdict.ok || (/^https?:$/.test(verdict.url.protocol) && verdict.url.username === '' && !isPrivateHost(verdict.url.hostname))
    }), { numRuns: runs(base) })
  })
}

describe('properties', () => { policyProperties(2000) })
