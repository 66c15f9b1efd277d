import { describe, expect, test } from 'vitest'
import { decideFailover } from '../../src/background/failover-policy.ts'
import { isPrivateHost } from '../../src/protocol/fetch-policy.ts'
import { DEFAULT_SETTINGS } from '../../src/lib/settings.ts'

const refused = { kind: 'navigation-error', failure: 'connection-refused' } as const
const status = (code: number, hasPointers = false) => ({ kind: 'status', status: code, hasPointers }) as const

describe('which failures are outages', () => {
  test('unreachable servers fail over; a stopped load or an unknown error does not', () => {
    for (const failure of ['connection-refused', 'connection-reset', 'dns', 'timeout', 'tls'] as const) {
      expect(decideFailover('https://blog.example/', { kind: 'navigation-error', failure }, DEFAULT_SETTINGS)).toEqual({ go: true })
    }
    expect(decideFailover('https://blog.example/', { kind: 'navigation-error', failure: 'aborted' }, DEFAULT_SETTINGS).go).toBe(false)
    expect(decideFailover('https://blog.example/', { kind: 'navigation-error', failure: 'other' }, DEFAULT_SETTINGS).go).toBe(false)
  })
  test('502/503/504 fail over, any 5xx with a pointer too; 4xx and a bare 500 are the site’s answer', () => {
    for (const code of [502, 503, 504]) expect(decideFailover('https://blog.example/', status(code), DEFAULT_SETTINGS).go).toBe(true)
    expect(decideFailover('https://blog.example/', status(500, true), DEFAULT_SETTINGS).go).toBe(true)
    expect(decideFailover('https://blog.example/', status(500), DEFAULT_SETTINGS)).toEqual({ go: false, why: 'HTTP 500 is the site\'s own answer' })
    for (const code of [401, 403, 404, 410]) expect(decideFailover('https://blog.example/', status(code, true), DEFAULT_SETTINGS).go).toBe(false)
  })
})

describe('where Peerback stays out', () => {
  test('non-web pages', () => {
    for (const url of ['file:///etc/hosts', 'about:blank', 'chrome-extension://abc/x.html', 'moz-extension://abc/x.html', 'data:text/html,x', 'nonsense']) {
      expect(decideFailover(url, refused, DEFAULT_SETTINGS).go).toBe(false)
    }
  })
  test('sites on the off-list, with their subdomains', () => {
    const settings = { ...DEFAULT_SETTINGS, offSites: ['example.org'] }
    expect(decideFailover('https://example.org/', refused, settings).go).toBe(false)
    expect(decideFailover('https://www.example.org/', refused, settings).go).toBe(false)
    expect(decideFailover('https://notexample.org/', refused, settings).go).toBe(true)
    // The URL parser lowercases hosts; trailing dots name the same host.
    expect(decideFailover('https://WWW.Example.ORG./', refused, settings).go).toBe(false)
  })
  test('nothing while paused everywhere', () => {
    expect(decideFailover('https://example.org/', refused, { ...DEFAULT_SETTINGS, paused: true })).toEqual({ go: false, why: 'Peerback is paused' })
  })
  test('private-network hosts, unless allowed', () => {
    for (const host of ['localhost', 'printer', 'nas.local', 'router.lan', 'x.home.arpa', '10.0.0.1', '172.16.5.4', '192.168.1.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', '[::1]', '[fd00::1]', '[fe80::1]']) {
      expect(isPrivateHost(host), host).toBe(true)
    }
    for (const host of ['blog.example', '8.8.8.8', '172.32.0.1', '[2001:db8::1]', 'site.test']) expect(isPrivateHost(host), host).toBe(false)
    expect(decideFailover('http://192.168.1.1/', refused, DEFAULT_SETTINGS).go).toBe(false)
    expect(decideFailover('http://192.168.1.1/', refused, { ...DEFAULT_SETTINGS, allowPrivateHosts: true }).go).toBe(true)
  })
})
