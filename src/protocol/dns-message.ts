// DNS wire format (RFC 1035) for TXT questions, as carried by DNS-over-HTTPS (RFC 8484).
import { Buffer } from 'buffer/' // the npm package, not Node's
import dnsPacket from 'dns-packet'
import { fail, ok, type Result } from './errors'

export interface TxtAnswer {
  /** Each TXT record as its list of character-strings. */
  records: Uint8Array[][]
  /** The resolver validated the answer with DNSSEC (the AD bit). */
  authenticated: boolean
}

/** A TXT question; id 0 so that HTTP caches can share answers (RFC 8484 §4.1). */
export function encodeTxtQuery (name: string): Uint8Array {
  return new Uint8Array(dnsPacket.encode({
    type: 'query',
    id: 0,
    // AD in a query asks the resolver to report whether it validated the answer (RFC 6840 §5.7).
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA,
    questions: [{ type: 'TXT', name, class: 'IN' }]
  }))
}

/** The TXT records of an answer; `null` when the name has none (NXDOMAIN, or NOERROR without TXT). */
export function readTxtAnswer (wire: Uint8Array, name: string): Result<TxtAnswer | null> {
  let packet: dnsPacket.DecodedPacket & { rcode?: string }
  try {
    packet = dnsPacket.decode(Buffer.from(wire) as unknown as Parameters<typeof dnsPacket.decode>[0]) // the npm Buffer is Node's, by another type as typeof packet
  } catch {
    return fail('dns-unreadable', `The DNS resolver's answer for ${name} is not a DNS message.`)
  }
  if (packet.type !== 'response') return fail('dns-unreadable', `The DNS resolver sent a question, not an answer, for ${name}.`)
  if (packet.rcode === 'NXDOMAIN') return ok(null)
  if (packet.rcode !== 'NOERROR') {
    return fail('dns-failed', `The DNS resolver could not answer for ${name} (${packet.rcode ?? 'unknown error'}).`, [packet.rcode ?? '?'])
  }
  const records = (packet.answers ?? [])
    .filter((answer): answer is dnsPacket.TxtAnswer => answer.type === 'TXT')
    .map((answer) => [answer.data].flat().map((string) => typeof string === 'string' ? new TextEncoder().encode(string) : new Uint8Array(string)))
  return ok(records.length === 0 ? null : { records, authenticated: packet.flag_ad })
}
