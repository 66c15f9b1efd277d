// The `_torrent` records for DNS hosts that take no BIND fragment: JSON (for scripts and the hosts'
// own APIs) and octoDNS YAML (which also drives many hosts' APIs). The same records as
// `_torrent.zone`; a TXT record's character-strings joined into its one text, as resolvers and
// Peerback read them (a host splits long texts into 255-byte strings itself).
import type { ZoneRecord } from './zone'

export const ZONE_FORMATS = ['bind', 'json', 'octodns'] as const
export type ZoneFormat = typeof ZONE_FORMATS[number]

const bare = (name: string): string => name.replace(/\.$/, '')

/** `_torrent.json`: [{ name, type, ttl, value }], names absolute without the trailing dot. */
export function zoneJson (records: ZoneRecord[], ttl: number): string {
  return `${JSON.stringify(records.map((record) => ({ name: bare(record.name), type: 'TXT', ttl, value: record.strings.join('') })), null, 2)}\n`
}

/**
 * `_torrent.octodns.yaml`: octoDNS records of the zone `host`, keyed by name relative to it. A site
 * on a subdomain whose zone is the parent puts its label after each key (`<key>.blog`).
 */
export function zoneOctodns (records: ZoneRecord[], host: string, ttl: number): string {
  const lines = ['---', `# octoDNS records for the zone ${host}: merge into its config (zones/${host}.yaml).`]
  for (const record of records) {
    const name = bare(record.name)
    const relative = name === host ? '' : name.endsWith(`.${host}`) ? name.slice(0, -host.length - 1) : name
    // Semicolons are escaped in octoDNS TXT values; base64 and magnet links have none, but a value never passes unescaped.
    const value = record.strings.join('').replace(/\\/g, '\\\\').replace(/;/g, '\\;')
    lines.push(`'${relative}':`, '  type: TXT', `  ttl: ${ttl}`, '  values:', `  - '${value.replace(/'/g, "''")}'`)
  }
  return `${lines.join('\n')}\n`
}
