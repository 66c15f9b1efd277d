// `peerback tracker` and `peerback doh`: the two small servers a site (or a local trial) runs.
import { readFile } from 'node:fs/promises'
import { parseCommand, portNumber, untilStopped, UsageError } from './command-line'
import { startDoh } from './doh-server'
import { startTracker } from './tracker-server'
import { txtRecordsOfZone, ZoneSyntaxError } from './zone-file'

export const TRACKER_HELP = `Usage: peerback tracker [--port <n>] [--host <address>]

Runs a BitTorrent tracker (bittorrent-tracker): WebSocket for browsers and HTTP, on one port, with a
stats page at /stats. Browsers on https pages need wss://: put it behind a TLS proxy.

Options:
  --port <n>            default 8000 (0: any free port)
  --host <address>      default 127.0.0.1; 0.0.0.0 (or ::) to accept peers from other machines
  -h, --help            this help
`

export const DOH_HELP = `Usage: peerback doh --zone <file> [--port <n>] [--host <address>]

Serves the TXT records of a zone fragment (e.g. <out>/_torrent.zone from peerback publish) over
DNS-over-HTTPS (RFC 8484), to try records before they are in DNS. Point Peerback's resolver setting
at the printed URL; plain http is accepted for loopback addresses only.

Options:
  --zone <file>         the zone fragment (required)
  --port <n>            default 8053 (0: any free port)
  --host <address>      default 127.0.0.1
  -h, --help            this help
`

export async function trackerCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, { port: { type: 'string' }, host: { type: 'string' } })
  if (values.help === true) {
    process.stdout.write(TRACKER_HELP)
    return 0
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals.join(' ')}.`)
  const tracker = await startTracker({ host: values.host ?? '127.0.0.1', port: portNumber(values.port, 8000) })
  process.stdout.write(`Tracker running.\n  WebSocket: ${tracker.wsUrl}\n  HTTP:      ${tracker.httpUrl}\n  Stats:     ${tracker.statsUrl}\nCtrl-C stops.\n`)
  const signal = await untilStopped()
  process.stdout.write(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping.\n`)
  await tracker.stop()
  for (const problem of tracker.problems) process.stderr.write(`${problem}\n`)
  return 0
}

export async function dohCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, { zone: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } })
  if (values.help === true) {
    process.stdout.write(DOH_HELP)
    return 0
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals.join(' ')}.`)
  if (values.zone === undefined) throw new UsageError('Give the zone fragment: --zone <file>.')
  const text = await readFile(values.zone, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read --zone ${values.zone as string}: ${error.code ?? error.message}.`)
  })
  let records
  try {
    records = txtRecordsOfZone(text)
  } catch (error) {
    if (error instanceof ZoneSyntaxError) throw new UsageError(`${values.zone}: ${error.message}.`)
    throw error
  }
  if (records.length === 0) throw new UsageError(`${values.zone} has no TXT records.`)
  const doh = await startDoh({ host: values.host ?? '127.0.0.1', port: portNumber(values.port, 8053) })
  const byName = new Map<string, string[][]>()
  for (const record of records) byName.set(record.name, [...(byName.get(record.name) ?? []), record.strings])
  for (const [name, strings] of byName) doh.setTxt(name, strings)
  process.stdout.write(`DNS-over-HTTPS for ${byName.size} name${byName.size === 1 ? '' : 's'} (${records.length} TXT records) at\n  ${doh.url}\nCtrl-C stops.\n`)
  const signal = await untilStopped()
  process.stdout.write(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after ${doh.queries.length} ${doh.queries.length === 1 ? 'query' : 'queries'}.\n`)
  await doh.stop()
  return 0
}
