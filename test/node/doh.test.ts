// The DoH endpoint answers RFC 8484 queries, GET and POST, from the table the test sets.
import dnsPacket from 'dns-packet'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { startDoh, type DohEndpoint } from '../../src/publisher/doh-server.ts'

let doh: DohEndpoint
beforeEach(async () => { doh = await startDoh() })
afterEach(async () => { await doh.stop() })

const query = (name: string, type: 'TXT' | 'A' = 'TXT'): Buffer =>
  dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] })

// dns-packet's types leave out the rcode that decode() gives, and widen TXT data.
type Decoded = dnsPacket.DecodedPacket & { rcode: string }
const decode = (bytes: ArrayBuffer): Decoded => dnsPacket.decode(Buffer.from(bytes)) as unknown as Decoded
const txtStrings = (answer: dnsPacket.Answer | undefined): string[] =>
  [(answer as dnsPacket.TxtAnswer).data].flat().map(String)

async function resolveGet (name: string): Promise<Decoded> {
  const answer = await fetch(`${doh.url}?dns=${query(name).toString('base64url')}`, { headers: { accept: 'application/dns-message' } })
  expect(answer.headers.get('content-type')).toBe('application/dns-message')
  return decode(await answer.arrayBuffer())
}

test('GET: TXT records with several character-strings, as set', async () => {
  doh.setTxt('_torrent.site.test', [['magnet:?xt=urn:btih:', 'c9e15763f722f23e98a29decdfae341b98d53056'], ['v=spf1 -all']])
  const answer = await resolveGet('_torrent.site.test')
  expect(answer.id).toBe(4242)
  expect(answer.rcode).toBe('NOERROR')
  expect(answer.answers?.map(txtStrings)).toEqual([
    ['magnet:?xt=urn:btih:', 'c9e15763f722f23e98a29decdfae341b98d53056'],
    ['v=spf1 -all']
  ])
  expect(doh.queries).toEqual([{ name: '_torrent.site.test', type: 'TXT', method: 'GET' }])
})

test('POST: the same answer, and the AD bit when set', async () => {
  doh.setTxt('_torrent.site.test', [['torrent 1/1 ZGU=']])
  doh.setAuthenticated(true)
  const answer = await fetch(doh.url, { method: 'POST', headers: { 'content-type': 'application/dns-message' }, body: new Uint8Array(query('_torrent.site.test')) })
  const packet = decode(await answer.arrayBuffer())
  expect(packet.flag_ad).toBe(true)
  expect(txtStrings(packet.answers?.[0])).toEqual(['torrent 1/1 ZGU='])
})

test('an unknown name is NXDOMAIN; a known name without TXT is NOERROR with no answer', async () => {
  expect((await resolveGet('nothing.site.test')).rcode).toBe('NXDOMAIN')
  doh.setTxt('empty.site.test', [])
  const empty = await resolveGet('empty.site.test')
  expect(empty.rcode).toBe('NOERROR')
  expect(empty.answers).toEqual([])
})

test('malformed queries get HTTP errors, not crashes', async () => {
  expect((await fetch(`${doh.url}?dns=AAAA`)).status).toBe(400)
  expect((await fetch(doh.url)).status).toBe(400)
  expect((await fetch(doh.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415)
  expect((await resolveGet('still.works.test')).rcode).toBe('NXDOMAIN')
})
