// `peerback seed <out-dir | file.torrent…>`: serves a published site to browsers over WebRTC, reading
// pieces straight from the site's files (never writing them), until Ctrl-C.
import { readFile, stat } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import WebTorrent, { type Torrent } from 'webtorrent'
import { formatBytes } from '../protocol/format'
import { parseCommand, trackerUrl, untilStopped, UsageError } from './command-line'
import { nodeClientOptions } from './node-client'
import { MANIFEST_NAME, type SeedManifest } from './publish'
import { readOnlyStore } from './site-store'
import { terminalWidth, textTable } from './text-table'
import { yieldingRate } from './yield-policy'

export const SEED_HELP = `Usage: peerback seed <out-dir> [options]
       peerback seed <file.torrent>… --data <site-dir> [options]

Seeds published torrents to browsers over WebRTC through the torrents' trackers, reading the site's
files in place (never writing them). Prints peers and upload speed; runs until Ctrl-C.

Options:
  --data <dir>          the site directory, for .torrent files given directly
  --tracker <url>       another tracker to announce to, besides the torrents' own; repeatable
  --upload-limit <n>    at most n KiB/s upload per torrent (default: no limit)
  --no-yield            serve at full speed even while readers who have the copy are connected
                        (by default the seeder then slows to 32 KiB/s, so readers serve each other)
  --no-stun             no STUN servers: only direct connections (loopback and LAN worlds)
  --interval <s>        seconds between status lines when not on a terminal (default 10)
  -h, --help            this help
`

interface SeedTarget { torrentPath: string, label: string, diskPathOf: (torrentFilePath: string) => string }

export async function seedCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    data: { type: 'string' },
    tracker: { type: 'string', multiple: true },
    'upload-limit': { type: 'string' },
    'no-stun': { type: 'boolean' },
    'no-yield': { type: 'boolean' },
    interval: { type: 'string' }
  })
  if (values.help === true) {
    process.stdout.write(SEED_HELP)
    return 0
  }
  if (positionals.length === 0) throw new UsageError('Give the publish output directory (or .torrent files with --data).')
  const extraTrackers = (values.tracker ?? []).map(trackerUrl)
  const uploadLimit = values['upload-limit'] === undefined ? undefined : Number(values['upload-limit'])
  if (uploadLimit !== undefined && !(Number.isFinite(uploadLimit) && uploadLimit > 0)) throw new UsageError(`--upload-limit ${String(values['upload-limit'])}: a number of KiB/s above 0.`)
  const interval = Number(values.interval ?? 10)
  if (!(interval > 0)) throw new UsageError(`--interval ${String(values.interval)}: a number of seconds above 0.`)
  const targets = await seedTargets(positionals, values.data)
  const yieldToReaders = values['no-yield'] !== true

  // One client per torrent: upload throttles are per client, and the yield policy is per torrent.
  const clientOptions = { ...nodeClientOptions({ stun: values['no-stun'] !== true }), webSeeds: false } // a seeder never downloads
  const seeding: Array<{ target: SeedTarget, torrent: Torrent, client: WebTorrent }> = []
  const rejected: WebTorrent[] = []
  for (const target of targets) {
    const client = new WebTorrent({ ...clientOptions, ...(uploadLimit !== undefined && { uploadLimit: uploadLimit * 1024 }) })
    client.on('error', (error: Error) => process.stderr.write(`error: ${error.message}\n`))
    const torrent = await addVerified(client, target, extraTrackers)
    if (torrent !== null) seeding.push({ target, torrent, client })
    else rejected.push(client)
  }
  await Promise.all(rejected.map(async (client) => { await new Promise<void>((resolve) => client.destroy(() => resolve())) }))
  if (seeding.length === 0) {
    process.stderr.write('Nothing to seed: every torrent failed its check (see above).\n')
    return 1
  }
  process.stdout.write(`${textTable(['torrent', 'files', 'size', 'trackers'], seeding.map(({ target, torrent }) =>
    [target.label, String(torrent.files.length), formatBytes(torrent.length), torrent.announce.join(' ')]), terminalWidth())}\n`)
  process.stdout.write(`Seeding ${seeding.length} torrent${seeding.length === 1 ? '' : 's'}${yieldToReaders ? ', yielding to readers who have a copy' : ''}. Ctrl-C stops.\n`)

  const rates = new Map<WebTorrent, number>()
  const yielding = setInterval(() => {
    if (!yieldToReaders) return
    for (const { torrent, client } of seeding) {
      const rate = yieldingRate(torrent.wires.filter((wire) => wire.isSeeder).length, uploadLimit === undefined ? undefined : uploadLimit * 1024)
      if (rates.get(client) !== rate) client.throttleUpload(rate)
      rates.set(client, rate)
    }
  }, 500)
  const status = (): string => {
    const peers = seeding.reduce((sum, { torrent }) => sum + torrent.numPeers, 0)
    const uploaded = seeding.reduce((sum, { torrent }) => sum + torrent.uploaded, 0)
    const speed = seeding.reduce((sum, { client }) => sum + client.uploadSpeed, 0)
    return `peers ${peers}  uploaded ${formatBytes(uploaded)}  ↑ ${formatBytes(speed)}/s`
  }
  const tty = process.stdout.isTTY === true
  let last = ''
  const timer = setInterval(() => {
    const line = status()
    if (tty) process.stdout.write(`\r${line}   `)
    else if (line !== last) process.stdout.write(`${line}\n`)
    last = line
  }, tty ? 1000 : interval * 1000)

  const signal = await untilStopped()
  clearInterval(timer)
  clearInterval(yielding)
  process.stdout.write(`${tty ? '\n' : ''}${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping. ${status()}\n`)
  await Promise.all(seeding.map(async ({ client }) => { await new Promise<void>((resolve) => client.destroy(() => resolve())) }))
  return 0
}

/** The torrents to seed and where each one's files are on disk. */
async function seedTargets (positionals: string[], dataDir: string | undefined): Promise<SeedTarget[]> {
  const first = positionals[0] as string
  const firstInfo = await stat(first).catch(() => null)
  if (firstInfo === null) throw new UsageError(`${first} does not exist.`)
  if (firstInfo.isDirectory()) {
    if (positionals.length > 1) throw new UsageError('Give one output directory, or .torrent files.')
    const manifestPath = join(first, MANIFEST_NAME)
    const manifest = await readFile(manifestPath, 'utf8').then((text) => JSON.parse(text) as SeedManifest).catch(() => null)
    if (manifest?.version !== 1 || !Array.isArray(manifest.torrents)) throw new UsageError(`${first} has no ${MANIFEST_NAME} from peerback publish (or it is damaged); publish again, or give .torrent files with --data.`)
    const siteDir = resolve(first, dataDir ?? manifest.siteDir)
    return manifest.torrents.map((entry) => ({
      torrentPath: join(first, entry.torrentPath),
      label: entry.torrentPath,
      diskPathOf: diskPaths(siteDir, entry.source === '.' ? null : entry.source)
    }))
  }
  if (dataDir === undefined) throw new UsageError('With .torrent files, say where the site is: --data <site-dir>.')
  if ((await stat(dataDir).catch(() => null))?.isDirectory() !== true) throw new UsageError(`--data ${dataDir} is not a directory.`)
  return positionals.map((path) => ({ torrentPath: path, label: path, diskPathOf: diskPaths(resolve(dataDir), null) }))
}

/**
 * Multi-file: `<name>/<path>` → `<site>/<path>`. Single-file: the published source, or the torrent's
 * name in the site directory. Paths that would leave the site directory are refused.
 */
function diskPaths (siteDir: string, singleSource: string | null): (torrentFilePath: string) => string {
  return (torrentFilePath) => {
    const parts = torrentFilePath.split(/[\\/]/)
    const inside = parts.length === 1 ? (singleSource ?? parts[0] as string) : parts.slice(1).join('/')
    const path = resolve(siteDir, inside)
    if (relative(siteDir, path).startsWith('..') || !path.startsWith(siteDir + sep)) throw new Error(`${torrentFilePath} is outside the site directory`)
    return path
  }
}

/** Adds a torrent over the site's files; null (and a message) when they are not what was published. */
async function addVerified (client: WebTorrent, target: SeedTarget, extraTrackers: string[]): Promise<Torrent | null> {
  const bytes = await readFile(target.torrentPath).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read ${target.torrentPath}: ${error.code ?? error.message}.`)
  })
  return await new Promise((resolve) => {
    const fail = (why: string): void => {
      process.stderr.write(`${target.label}: ${why}\n`)
      resolve(null)
    }
    let torrent: Torrent
    try {
      torrent = client.add(bytes, { store: readOnlyStore(target.diskPathOf), ...(extraTrackers.length > 0 && { announce: extraTrackers }) })
    } catch (error) {
      fail(`not a torrent file: ${(error as Error).message}`)
      return
    }
    torrent.once('error', (error: Error) => fail(error.message))
    torrent.once('ready', () => {
      if (torrent.progress === 1) return resolve(torrent)
      const matching = Math.round(torrent.progress * 100)
      torrent.destroy()
      fail(`the site's files differ from what was published (${matching}% of the data matches): run peerback publish again, then seed.`)
    })
  })
}
