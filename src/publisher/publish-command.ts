// `peerback publish <site-dir> --origin <url> …`: arguments checked up front (before any hashing),
// then publish(), then a summary and what to do next.
import { constants } from 'node:fs'
import { access, mkdir, stat } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { formatBytes, formatDuration } from '../protocol/format'
import { httpUrl, parseCommand, trackerUrl, UsageError } from './command-line'
import { progressOn } from './progress'
import { publish, type PublishOptions } from './publish'
import { SAFE_ORDER } from './republish'
import { readConfig } from './config-file'
import { terminalWidth, textTable } from './text-table'
import type { RecordForm } from './zone'
import { ZONE_FORMATS, type ZoneFormat } from './zone-formats'

export const PUBLISH_HELP = `Usage: peerback publish <site-dir> --origin <url> [options]

Makes torrents of a static site, the _torrent DNS records that point to them, and header snippets
for the web server, all written to the output directory.

Options:
  --origin <url>        the site's root URL, e.g. https://example.com/ (required)
  --tracker <url>       a WebSocket tracker (wss://…) readers find each other through; repeatable.
                        Default: wss://tracker.webtorrent.dev and wss://tracker.openwebtorrent.com
  --mirror <url>        the root URL of a mirror serving the same files; repeatable
  --out <dir>           where to write everything (default: peerback-out)
  --site-torrent        make the site torrent (all files; DNS name _torrent.<host>)
  --page-torrents       make a torrent per page with its same-site assets (<sha1(path)>._torrent.<host>)
                        (neither flag: both)
  --records <form>      auto (default): the torrent itself in DNS when at most 16 KiB, else a magnet
                        link; torrent: the torrent whenever it fits (64 KiB); magnet: always a magnet
  --zone-format <list>  the DNS records also as json and/or octodns (e.g. json,octodns), beside the
                        BIND fragment _torrent.zone, for hosts that take no zone file
  --torrents-url <url>  where <out>/torrents/ will be served (default: /peerback/)
  --piece-length <n>    bytes per piece, a power of two of at least 16384 (default: by size)
  --config <file>       defaults for these options (default: ./peerback.json when it exists):
                        {"origin": …, "trackers": […], "mirrors": […], "records": …, "out": …}
  --json                the summary as JSON, for scripts
  -h, --help            this help
`

const DEFAULT_TRACKERS = ['wss://tracker.webtorrent.dev', 'wss://tracker.openwebtorrent.com']

export async function publishCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    origin: { type: 'string' },
    tracker: { type: 'string', multiple: true },
    mirror: { type: 'string', multiple: true },
    out: { type: 'string' },
    'site-torrent': { type: 'boolean' },
    'page-torrents': { type: 'boolean' },
    records: { type: 'string' },
    'torrents-url': { type: 'string' },
    'piece-length': { type: 'string' },
    'zone-format': { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (values.help === true) {
    process.stdout.write(PUBLISH_HELP)
    return 0
  }
  // What the command line gives wins over the config file.
  const config = await readConfig(values.config)
  const options = await checkedOptions({
    ...(config.origin !== undefined && { origin: config.origin }),
    ...(config.trackers !== undefined && { tracker: config.trackers }),
    ...(config.mirrors !== undefined && { mirror: config.mirrors }),
    ...(config.records !== undefined && { records: config.records }),
    ...(config.out !== undefined && { out: config.out }),
    ...Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined))
  }, positionals)
  const defaultTrackers = values.tracker === undefined && config.trackers === undefined
  if (defaultTrackers) process.stderr.write(`No --tracker given: announcing to ${DEFAULT_TRACKERS.join(' and ')}.\n`)

  const started = Date.now()
  const result = await publish({ ...options, progress: (label) => progressOn(process.stderr, label) })
  const out = relative(process.cwd(), resolve(options.outDir)) || '.'
  const rows = result.entries.map((entry) => [
    entry.scope, entry.url, String(entry.files), formatBytes(entry.bytes), entry.record?.form ?? '-', entry.infoHash.slice(0, 12), entry.change, entry.torrentPath
  ])
  const changed = result.entries.filter((entry) => entry.change === 'changed')
  const hashed = result.entries.filter((entry) => entry.change !== 'same').length
  const torrentsAt = new URL(options.torrentsUrl, options.origin).href
  const next = [
    `Serve ${out}/torrents/ at ${torrentsAt}`,
    `Add the records in ${out}/_torrent.zone to the DNS zone of ${options.origin.hostname}`,
    `Add the headers: ${out}/headers/nginx.conf, apache.conf, Caddyfile, or _headers with _redirects (for overload: nginx-overload.conf, apache-overload.conf)`,
    `Seed, and keep it running: npx peerback seed ${out}`,
    `Check it: npx peerback check ${options.origin.href}`
  ]
  const safeOrder = changed.length > 0 ? SAFE_ORDER.map((step) => step.replace('<out>', out)) : []
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ out, entries: result.entries, notes: result.notes, skipped: result.skipped, next, ...(changed.length > 0 && { safeOrder }) }, null, 2)}\n`)
    return 0
  }
  const lines = [
    `Published ${result.entries.length} torrent${result.entries.length === 1 ? '' : 's'} of ${options.siteDir} in ${formatDuration(Date.now() - started)} → ${out}/` +
      (hashed < result.entries.length ? ` (${result.entries.length - hashed} unchanged since the last run, not hashed again)` : ''),
    '',
    textTable(['scope', 'url', 'files', 'size', 'dns', 'infohash', 'change', 'torrent'], rows, terminalWidth()),
    ''
  ]
  if (changed.length > 0) {
    lines.push(`Changed since the last run (${changed.length}):`, ...changed.map((entry) => `  ${entry.url}  ${entry.previousInfoHash ?? ''} → ${entry.infoHash}`), '',
      'Roll the change out in this order:', ...safeOrder.map((step, index) => `  ${index + 1}. ${step}`), '')
  }
  lines.push('Next:', ...next.map((step, index) => `  ${index + 1}. ${step}`))
  if (result.notes.length > 0) lines.push('', 'Notes:', ...result.notes.map((note) => `  - ${note}`))
  if (result.skipped.length > 0) lines.push('', `Left out: ${result.skipped.join(', ')}`)
  process.stdout.write(`${lines.join('\n')}\n`)
  return 0
}

async function checkedOptions (values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<Omit<PublishOptions, 'progress'>> {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Give the site directory: peerback publish <site-dir> --origin <url>.' : `One site directory, not ${positionals.length}: ${positionals.join(' ')}.`)
  const siteDir = positionals[0] as string
  const info = await stat(siteDir).catch(() => null)
  if (info === null) throw new UsageError(`The site directory ${siteDir} does not exist.`)
  if (!info.isDirectory()) throw new UsageError(`${siteDir} is not a directory.`)

  if (typeof values.origin !== 'string') throw new UsageError('Give the site\'s root URL: --origin https://example.com/.')
  const origin = httpUrl(values.origin, '--origin')
  if (origin.pathname !== '/' || origin.search !== '' || origin.hash !== '') {
    throw new UsageError(`--origin must be the site's root (${origin.origin}/): _torrent records are per host, so a site under a path cannot be published yet.`)
  }
  const mirrors = ((values.mirror as string[] | undefined) ?? []).map((mirror) => {
    const url = httpUrl(mirror, '--mirror')
    if (!url.pathname.endsWith('/')) url.pathname += '/'
    return url
  })
  const trackers = ((values.tracker as string[] | undefined) ?? DEFAULT_TRACKERS).map(trackerUrl)

  const form = (values.records ?? 'auto') as string
  if (!['auto', 'magnet', 'torrent'].includes(form)) throw new UsageError(`--records ${form}: use auto, magnet or torrent.`)
  const torrentsUrl = (values['torrents-url'] ?? '/peerback/') as string
  if (!torrentsUrl.endsWith('/') || !(torrentsUrl.startsWith('/') || /^https?:\/\//.test(torrentsUrl))) {
    throw new UsageError(`--torrents-url ${torrentsUrl}: give a path like /peerback/ or an http(s) URL, ending in /.`)
  }
  let pieceLength: number | undefined
  if (values['piece-length'] !== undefined) {
    pieceLength = Number(values['piece-length'])
    if (!Number.isInteger(pieceLength) || pieceLength < 16384 || (pieceLength & (pieceLength - 1)) !== 0) {
      throw new UsageError(`--piece-length ${String(values['piece-length'])}: a power of two of at least 16384.`)
    }
  }

  const zoneFormats = String(values['zone-format'] ?? 'bind').split(',').map((format) => format.trim()).filter((format) => format !== '')
  const unknown = zoneFormats.find((format) => !(ZONE_FORMATS as readonly string[]).includes(format))
  if (unknown !== undefined) throw new UsageError(`--zone-format ${unknown}: use ${ZONE_FORMATS.join(', ')} (several with commas).`)

  const outDir = (values.out ?? 'peerback-out') as string
  try {
    await mkdir(outDir, { recursive: true })
    await access(outDir, constants.W_OK)
  } catch (error) {
    throw new UsageError(`Cannot write to --out ${outDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
  }
  const both = values['site-torrent'] !== true && values['page-torrents'] !== true
  return {
    siteDir,
    origin,
    trackers,
    mirrors,
    outDir,
    siteTorrent: both || values['site-torrent'] === true,
    pageTorrents: both || values['page-torrents'] === true,
    form: form as RecordForm,
    torrentsUrl,
    zoneFormats: zoneFormats as ZoneFormat[],
    ...(pieceLength !== undefined && { pieceLength })
  }
}
