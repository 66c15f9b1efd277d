// The DoH client against the test world's resolver: answers, no-record cases, and each failure
// gives a clear typed error within its timeout, retried once.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { dohClient } from '../../src/background/doh-client.ts'
import { startDoh, type DohEndpoint } from '../../src/publisher/doh-server.ts'

let doh: DohEndpoint
beforeAll(async () => { doh = await startDoh() })
afterAll(async () => { await doh.stop() })
beforeEach(() => { doh.setFailure(null); doh.queries.length = 0 })

test('finds TXT records and reads the AD bit', async () => {
  doh.setTxt('_torrent.site.test', [['magnet:?xt=urn:btih:', 'c9e15763f722f23e98a29decdfae341b98d53056']])
  doh.setAuthenticated(true)
  const answer = await dohClient({ resolverUrl: doh.url })('_torrent.site.test')
  expect(answer.ok && answer.value?.authenticated).toBe(true)
  expect(answer.ok && answer.value?.records.map((record) => record.map((string) => new TextDecoder().decode(string)))).toEqual([['magnet:?xt=urn:btih:', 'c9e15763f722f23e98a29decdfae341b98d53056']])
  expect(doh.queries).toEqual([{ name: '_torrent.site.test', type: 'TXT', method: 'GET' }])
})

test('NXDOMAIN and a name without TXT are "no record", asked once', async () => {
  doh.setTxt('empty.site.test', [])
  const lookup = dohClient({ resolverUrl: doh.url })
  expect(await lookup('missing.site.test')).toEqual({ ok: true, value: null })
  expect(await lookup('empty.site.test')).toEqual({ ok: true, value: null })
  expect(doh.queries).toHaveLength(2)
})

test('SERVFAIL and HTTP 500 are errors after one retry', async () => {
  const lookup = dohClient({ resolverUrl: doh.url })
  doh.setFailure('servfail')
  expect(await lookup('_torrent.site.test')).toMatchObject({ ok: false, error: { code: 'dns-failed', message: expect.stringContaining('SERVFAIL') } })
  doh.setFailure('http-500')
  expect(await lookup('_torrent.site.test')).toMatchObject({ ok: false, error: { code: 'dns-http', message: expect.stringContaining('HTTP 500') } })
  expect(doh.queries).toHaveLength(4)
})

test('a resolver that never answers times out, once per try', async () => {
  doh.setFailure('hang')
  const started = Date.now()
  const answer = await dohClient({ resolverUrl: doh.url, timeoutMs: 200 })('_torrent.site.test')
  expect(answer).toMatchObject({ ok: false, error: { code: 'dns-timeout', message: expect.stringContaining('0.2 s') } })
  expect(Date.now() - started).toBeLessThan(2000)
  expect(doh.queries).toHaveLength(2)
})

test('an unreachable resolver is an error, not an exception', async () => {
  const answer = await dohClient({ resolverUrl: 'http://127.0.0.1:1/dns-query', retries: 0 })('_torrent.site.test')
  expect(answer).toMatchObject({ ok: false, error: { code: 'dns-unreachable', message: expect.stringContaining('could not be reached') } })
  expect(await dohClient({ resolverUrl: 'not a url' })('x')).toMatchObject({ ok: false, error: { code: 'bad-url' } })
})
