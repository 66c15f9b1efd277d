// `peerback seed <out-dir | file.torrent…>`: serves a published site to browsers over WebRTC, reading
// pieces straight from the site's files (never writing them), until Ctrl-C or SIGTERM; SIGHUP reloads.
import { readFile, stat } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import WebTorrent, { type Torrent } from 'webtorrent'
import { formatBytes } from '../protocol/format'
import parseTorrent from 'parse-torrent'
import { parseCommand, portNumber, trackerUrl, untilStopped, UsageError } from './command-line'
import { nodeClientOptions } from './node-client'
import { MANIFEST_NAME, type SeedManifest } from './publish'
import { readOnlyStore } from './site-store'
import { filesPrint, readState, writeState } from './seed-state'
import { startStats } from './seed-stats'
import { terminalWidth, textTable } from './text-table'
import { yieldingRate } from './yield-policy'

export const SEED_HELP = `Usage: peerback seed <out-dir>… [options]
       peerback seed <file.torrent>… --data <site-dir> [options]

Seeds published torrents to browsers over WebRTC through the torrents' trackers, reading the site's
files in place (never writing them). Give several output directories to seed several sites. Prints
peers and upload speed; runs until Ctrl-C or SIGTERM. SIGHUP reads the manifests again (after a
publish): new torrents start, torrents no longer published stop. A torrent whose files are as they
were when it was last verified is not hashed again at start.

Options:
  --data <dir>          the site directory (for .torrent files; for one output directory, instead
                        of the one its manifest names, e.g. in a container)
  --tracker <url>       another tracker to announce to, besides the torrents' own; repeatable
  --upload-limit <n>    at most n KiB/s upload per torrent (default: no limit)
  --no-yield            serve at full speed even while readers who have the copy are connected
                        (by default the seeder then slows to 32 KiB/s, so readers serve each other)
  --no-stun             no STUN servers: only direct connections (loopback and LAN worlds)
  --interval <s>        seconds between status lines when not on a terminal (default 10)
  --stats-port <n>      serve /stats (JSON) and /metrics (Prometheus) on this port (0: any free port)
  --stats-host <addr>   default 127.0.0.1
  -h, --help            this help
`

interface SeedTarget {
  torrentPath: string
  label: string
  diskPathOf: (torrentFilePath: string) => string
  /** The output directory whose state file remembers what was verified (none for bare .torrent files). */
  outDir: string | null
}

interface Seeding { target: SeedTarget, torrent: Torrent, client: WebTorrent }

export async function seedCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    data: { type: 'string' },
    tracker: { type: 'string', multiple: true },
    'upload-limit': { type: 'string' },
    'no-stun': { type: 'boolean' },
    'no-yield': { type: 'boolean' },
    interval: { type: 'string' },
    'stats-port': { type: 'string' },
    'stats-host': { type: 'string' }
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
  const statsPort = values['stats-port'] === undefined ? null : portNumber(values['stats-port'], 0)
  const targets = await seedTargets(positionals, values.data)
  const yieldToReaders = values['no-yield'] !== true

  // One client per torrent: upload throttles are per client, and the yield policy is per torrent.
  const clientOptions = { ...nodeClientOptions({ stun: values['no-stun'] !== true }), webSeeds: false } // a seeder never downloads
  const seeding: Seeding[] = []
  const start = async (wanted: SeedTarget[]): Promise<{ added: number, trusted: number }> => {
    let added = 0
    let trusted = 0
    for (const target of wanted) {
      const client = new WebTorrent({ ...clientOptions, ...(uploadLimit !== undefined && { uploadLimit: uploadLimit * 1024 }) })
      client.on('error', (error: Error) => process.stderr.write(`error: ${error.message}\n`))
      const started = await addVerified(client, target, extraTrackers)
      if (started === null) {
        await destroy(client)
        continue
      }
      seeding.push({ target, torrent: started.torrent, client })
      added++
      if (started.trusted) trusted++
    }
    return { added, trusted }
  }
  const first = await start(targets)
  if (seeding.length === 0) {
    process.stderr.write('Nothing to seed: every torrent failed its check (see above).\n')
    return 1
  }
  const table = (): string => textTable(['torrent', 'files', 'size', 'trackers'], seeding.map(({ target, torrent }) =>
    [target.label, String(torrent.files.length), formatBytes(torrent.length), torrent.announce.join(' ')]), terminalWidth())
  process.stdout.write(`${table()}\n`)
  if (first.trusted > 0) process.stdout.write(`${first.trusted} of ${first.added} as verified before (their files unchanged): not hashed again.\n`)
  const stats = statsPort === null ? null : await startStats(() => seeding.map(({ target, torrent, client }) => ({ label: target.label, infoHash: torrent.infoHash, peers: torrent.numPeers, uploaded: torrent.uploaded, uploadSpeed: client.uploadSpeed })), { host: values['stats-host'] ?? '127.0.0.1', port: statsPort })
  process.stdout.write(`Seeding ${seeding.length} torrent${seeding.length === 1 ? '' : 's'}${yieldToReaders ? ', yielding to readers who have a copy' : ''}.${stats === null ? '' : ` Stats: ${stats.url}/stats and ${stats.url}/metrics.`} Ctrl-C stops; SIGHUP reloads.\n`)

  // SIGHUP: the manifests again. Torrents still published as they were keep seeding; those no longer
  // published, or republished (their .torrent changed), stop; new and republished ones start.
  let reloading: Promise<void> = Promise.resolve()
  const reload = (): void => {
    reloading = reloading.then(async () => {
      const now = await seedTargets(positionals, values.data).catch((error: unknown) => { process.stderr.write(`reload: ${(error as Error).message}\n`); return null })
      if (now === null) return
      const key = (target: SeedTarget): string => `${target.torrentPath}\n${target.label}`
      const published = new Set(now.map(key))
      const stopping: Seeding[] = []
      let republished = 0
      for (const entry of seeding) {
        const bytes = published.has(key(entry.target)) ? await readFile(entry.target.torrentPath).catch(() => null) : null
        const current = bytes === null ? null : await infoHashOf(bytes)
        if (current === entry.torrent.infoHash) continue
        stopping.push(entry)
        if (current !== null) republished++
      }
      for (const entry of stopping) seeding.splice(seeding.indexOf(entry), 1)
      await Promise.all(stopping.map(async ({ client }) => { await destroy(client) }))
      const { added } = await start(now.filter((target) => !seeding.some((entry) => key(entry.target) === key(target))))
      process.stdout.write(`Reloaded: ${republished} republished, ${added - republished} new, ${stopping.length - republished} stopped; seeding ${seeding.length}.\n`)
    })
  }
  process.on('SIGHUP', reload)

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
  process.off('SIGHUP', reload)
  clearInterval(timer)
  clearInterval(yielding)
  await reloading
  process.stdout.write(`${tty ? '\n' : ''}${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping. ${status()}\n`)
  await Promise.all([...seeding.map(async ({ client }) => { await destroy(client) }), stats?.close()])
  return 0
}

const destroy = async (client: WebTorrent): Promise<void> => { await new Promise<void>((resolve) => client.destroy(() => resolve())) }

async function infoHashOf (bytes: Uint8Array): Promise<string | null> {
  const parsed = await parseTorrent(new Uint8Array(bytes)).catch(() => null) as { infoHash?: string } | null
  return parsed?.infoHash ?? null
}

/** The torrents to seed and where each one's files are on disk: one or more output directories, or .torrent files. */
async function seedTargets (positionals: string[], dataDir: string | undefined): Promise<SeedTarget[]> {
  const first = positionals[0] as string
  const firstInfo = await stat(first).catch(() => null)
  if (firstInfo === null) throw new UsageError(`${first} does not exist.`)
  if (firstInfo.isDirectory()) {
    if (dataDir !== undefined && positionals.length > 1) throw new UsageError('--data names the site of one output directory, not of several.')
    const all = await Promise.all(positionals.map(async (dir) => await outDirTargets(dir, dataDir, positionals.length > 1)))
    return all.flat()
  }
  if (dataDir === undefined) throw new UsageError('With .torrent files, say where the site is: --data <site-dir>.')
  if ((await stat(dataDir).catch(() => null))?.isDirectory() !== true) throw new UsageError(`--data ${dataDir} is not a directory.`)
  return positionals.map((path) => ({ torrentPath: path, label: path, diskPathOf: diskPaths(resolve(dataDir), null), outDir: null }))
}

async function outDirTargets (dir: string, dataDir: string | undefined, several: boolean): Promise<SeedTarget[]> {
  if ((await stat(dir).catch(() => null))?.isDirectory() !== true) throw new UsageError(`${dir} is not a publish output directory.`)
  const manifestPath = join(dir, MANIFEST_NAME)
  const manifest = await readFile(manifestPath, 'utf8').then((text) => JSON.parse(text) as SeedManifest).catch(() => null)
  if (manifest?.version !== 1 || !Array.isArray(manifest.torrents)) throw new UsageError(`${dir} has no ${MANIFEST_NAME} from peerback publish (or it is damaged); publish again, or give .torrent files with --data.`)
  const siteDir = resolve(dir, dataDir ?? manifest.siteDir)
  return manifest.torrents.map((entry) => ({
    torrentPath: join(dir, entry.torrentPath),
    label: several ? `${new URL(manifest.origin).host} ${entry.torrentPath}` : entry.torrentPath,
    diskPathOf: diskPaths(siteDir, entry.source === '.' ? null : entry.source),
    outDir: dir
  }))
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

/**
 * Adds a torrent over the site's files; null (and a message) when they are not what was published.
 * `trusted`: its files are as they were when it was last verified, so its pieces were not hashed.
 */
async function addVerified (client: WebTorrent, target: SeedTarget, extraTrackers: string[]): Promise<{ torrent: Torrent, trusted: boolean } | null> {
  const bytes = await readFile(target.torrentPath).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read ${target.torrentPath}: ${error.code ?? error.message}.`)
  })
  const parsed = await parseTorrent(new Uint8Array(bytes)).catch(() => null) as { infoHash: string, files: Array<{ path: string }> } | null
  const print = parsed === null ? null : await filesPrint(parsed.files.map((file) => target.diskPathOf(file.path)))
  const state = target.outDir === null ? {} : await readState(target.outDir)
  const key = relative(target.outDir ?? '.', target.torrentPath)
  const trusted = parsed !== null && print !== null && state[key]?.infoHash === parsed.infoHash && state[key]?.print === print
  return await new Promise((resolve) => {
    const fail = (why: string): void => {
      process.stderr.write(`${target.label}: ${why}\n`)
      resolve(null)
    }
    let torrent: Torrent
    try {
      torrent = client.add(bytes, { store: readOnlyStore(target.diskPathOf), skipVerify: trusted, ...(extraTrackers.length > 0 && { announce: extraTrackers }) })
    } catch (error) {
      fail(`not a torrent file: ${(error as Error).message}`)
      return
    }
    torrent.once('error', (error: Error) => fail(error.message))
    torrent.once('ready', () => {
      if (torrent.progress === 1) {
        if (trusted || target.outDir === null || print === null) return resolve({ torrent, trusted })
        const outDir = target.outDir
        // Remembered for the next start (in the output directory, never the site's).
        void readState(outDir).then(async (now) => { await writeState(outDir, { ...now, [key]: { infoHash: torrent.infoHash, print } }) })
          .catch((error: unknown) => { process.stderr.write(`${target.label}: could not remember the verification: ${(error as Error).message}\n`) })
          .finally(() => { resolve({ torrent, trusted }) })
        return
      }
      const matching = Math.round(torrent.progress * 100)
      torrent.destroy()
      fail(`the site's files differ from what was published (${matching}% of the data matches): run peerback publish again, then seed.`)
    })
  })
}
