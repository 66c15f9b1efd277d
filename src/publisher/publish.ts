// `peerback publish`: a site directory in; torrents, the `_torrent` zone fragment, header snippets
// and a manifest for `peerback seed` out. Everything a reader's extension will check is checked here
// first with the extension's own code, so a site owner hears about a refusal before readers do.
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { readTorrentFile } from '../protocol/torrent-file'
import { DEFAULT_MAX_COPY_BYTES } from '../protocol/torrent-limits'
import { overloadSnippets, snippets, webSeedAliases, type PagePointers } from './header-snippets'
import { deployFiles } from './deploy-files'
import { earlierRun, fingerprint, reuse } from './republish'
import { makeTorrent, type MadeTorrent } from './make-torrent'
import { referencesInCss, referencesInHtml, sitePathOf } from './page-assets'
import { scanSite, type SiteFile, type SitePage } from './site-scan'
import { zoneFragment, type RecordForm } from './zone'
import { zoneJson, zoneOctodns, type ZoneFormat } from './zone-formats'
import type { Progress } from './progress'

export interface PublishOptions {
  siteDir: string
  /** The site's root URL: `https://example.com/`. */
  origin: URL
  trackers: string[]
  /** Root URLs of mirrors serving the same tree. */
  mirrors: URL[]
  outDir: string
  siteTorrent: boolean
  pageTorrents: boolean
  form: RecordForm
  /** Where `<out>/torrents/` is served, root-relative or absolute, ending in `/`. */
  torrentsUrl: string
  pieceLength?: number
  /** Zone outputs besides the BIND fragment (always written). */
  zoneFormats?: ZoneFormat[]
  progress?: (label: string) => Progress
}

export interface PublishedEntry {
  scope: 'site' | 'page'
  url: string
  /** Relative to the output directory. */
  torrentPath: string
  infoHash: string
  files: number
  bytes: number
  /** What `peerback seed` reads: the site directory, or the one file of a single-file torrent. */
  source: string
  /** Where and how DNS publishes it. */
  record?: { name: string, form: 'torrent' | 'magnet' }
  /** Against the last run in this output directory: a new torrent, another one, or the same (not hashed again). */
  change: 'new' | 'changed' | 'same'
  /** For a changed torrent: the info hash it had. */
  previousInfoHash?: string
  /** What the torrent is made of (republish.ts): an unchanged one is not hashed again. */
  fingerprint: string
}

export interface PublishResult {
  entries: PublishedEntry[]
  /** The output files written, relative to the output directory. */
  written: string[]
  /** Things a site owner should act on. */
  notes: string[]
  skipped: string[]
}

/** The manifest `peerback seed <out-dir>` reads. */
export interface SeedManifest {
  version: 1
  origin: string
  siteDir: string
  torrents: Array<Pick<PublishedEntry, 'scope' | 'url' | 'torrentPath' | 'infoHash' | 'source' | 'fingerprint'>>
}

export const MANIFEST_NAME = 'peerback.json'
/** The records' TTL: short, so a republished site's new records reach readers within minutes. */
const ZONE_TTL = 300

export async function publish (options: PublishOptions): Promise<PublishResult> {
  const outDir = resolve(options.outDir)
  const siteDir = resolve(options.siteDir)
  const scan = await scanSite(siteDir, options.origin, { exclude: [outDir] })
  if (scan.files.length === 0) throw new Error(`${options.siteDir} has no files to publish.`)
  if (options.pageTorrents && scan.pages.length === 0 && !options.siteTorrent) throw new Error(`${options.siteDir} has no .html pages to make page torrents of.`)

  // The name BEP 19 web seeds put between their URL and a file's path; the alias snippets serve
  // `/<name>/…` as `/…`, so the origin and mirrors can be web seeds of their own tree.
  const name = options.origin.hostname
  const roots = [options.origin, ...options.mirrors].map((url) => url.href)
  const notes: string[] = []
  const entries: PublishedEntry[] = []
  const made = new Map<PublishedEntry, MadeTorrent>()
  const earlier = await earlierRun(outDir, MANIFEST_NAME)

  async function add (scope: 'site' | 'page', url: string, files: SiteFile[], torrentPath: string): Promise<void> {
    const single = files.length === 1 ? files[0] : undefined
    const webSeeds = single !== undefined ? roots.map((root) => new URL(encodedPath(single.path), root).href) : roots
    const print = await fingerprint(files, { name, announce: options.trackers, webSeeds, ...(options.pieceLength !== undefined && { pieceLength: options.pieceLength }) })
    const before = earlier.get(torrentPath)
    const torrent = await reuse(outDir, torrentPath, before, print) ?? await makeTorrent({
      name,
      files,
      announce: options.trackers,
      webSeeds,
      ...(options.pieceLength !== undefined && { pieceLength: options.pieceLength }),
      ...(options.progress !== undefined && { onProgress: hashingProgress(options.progress(`hashing ${torrentPath}`)) })
    })
    const checked = await readTorrentFile(torrent.torrentFile, { maxTotalBytes: DEFAULT_MAX_COPY_BYTES })
    if (!checked.ok) notes.push(`${torrentPath}: readers with default settings will refuse it: ${checked.error.message}`)
    const entry: PublishedEntry = {
      scope,
      url,
      torrentPath,
      infoHash: torrent.infoHash,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.length, 0),
      source: single !== undefined ? single.path : '.',
      change: before === undefined ? 'new' : before.infoHash === torrent.infoHash ? 'same' : 'changed',
      ...(before !== undefined && before.infoHash !== torrent.infoHash && { previousInfoHash: before.infoHash }),
      fingerprint: print
    }
    entries.push(entry)
    made.set(entry, torrent)
  }

  if (options.siteTorrent) await add('site', options.origin.href, scan.files, 'torrents/site.torrent')
  if (options.pageTorrents) {
    const byPath = new Map(scan.files.map((file) => [file.path, file]))
    for (const page of scan.pages) {
      const assets = await pageAssets(page, byPath, options.origin)
      await add('page', page.url, [page.file, ...assets], `torrents/pages/${page.file.path}.torrent`)
    }
  }

  const zone = await zoneFragment(entries.map((entry) => ({
    url: entry.url,
    scope: entry.scope,
    torrentFile: (made.get(entry) as MadeTorrent).torrentFile,
    magnetUri: (made.get(entry) as MadeTorrent).magnetUri
  })), { form: options.form, ttl: ZONE_TTL })
  if (!zone.ok) throw zone.error
  notes.push(...zone.value.notes)
  zone.value.placed.forEach((record, index) => { (entries[index] as PublishedEntry).record = record })

  const siteEntry = entries.find((entry) => entry.scope === 'site')
  const torrentUrl = (entry: PublishedEntry): string => options.torrentsUrl + encodedPath(entry.torrentPath.replace(/^torrents\//, ''))
  const pointers: PagePointers[] = []
  for (const page of scan.pages) {
    const entry = entries.find((candidate) => candidate.scope === 'page' && candidate.url === page.url) ?? siteEntry
    if (entry === undefined) continue
    const body = await readFile(page.file.diskPath)
    pointers.push({
      path: new URL(page.url).pathname,
      torrent: torrentUrl(entry),
      mirrors: options.mirrors.map((mirror) => new URL(new URL(page.url).pathname.slice(1), mirror).href),
      md5: createHash('md5').update(body).digest('hex'),
      sha256: createHash('sha256').update(body).digest('base64')
    })
  }
  const headers = snippets(pointers)
  const aliases = webSeedAliases(name)
  const outputs: Record<string, string | Uint8Array> = {
    '_torrent.zone': zone.value.text,
    ...(options.zoneFormats?.includes('json') === true && { '_torrent.json': zoneJson(zone.value.records, ZONE_TTL) }),
    ...(options.zoneFormats?.includes('octodns') === true && { '_torrent.octodns.yaml': zoneOctodns(zone.value.records, name, ZONE_TTL) }),
    'headers/nginx.conf': `# Peerback pointer headers: include in the server {} block.\n${headers.nginx}\n# Web seeds read /${name}/<path>: serve it as /<path>.\n${aliases.nginx}`,
    'headers/apache.conf': `# Peerback pointer headers (mod_headers, mod_rewrite).\n${headers.apache}\n# Web seeds read /${name}/<path>: serve it as /<path>.\n${aliases.apache}`,
    'headers/Caddyfile': `# Peerback pointer headers: paste into the site block.\n${headers.caddy}\n# Web seeds read /${name}/<path>: serve it as /<path>.\n${aliases.caddy}`,
    'headers/_headers': headers.headersFile,
    'headers/_redirects': aliases.redirectsFile
  }
  if (siteEntry !== undefined) {
    const overload = overloadSnippets(torrentUrl(siteEntry))
    outputs['headers/nginx-overload.conf'] = overload.nginx
    outputs['headers/apache-overload.conf'] = overload.apache
  } else {
    notes.push('No overload snippets: a 503 may answer any URL, so it names the site torrent; publish with --site-torrent for them.')
  }
  for (const entry of entries) outputs[entry.torrentPath] = (made.get(entry) as MadeTorrent).torrentFile
  const deploy = deployFiles({ host: name, outDir, siteDir })
  outputs['deploy/peerback-seed.service'] = deploy.systemd
  outputs['deploy/Containerfile'] = deploy.containerfile
  const manifest: SeedManifest = {
    version: 1,
    origin: options.origin.href,
    siteDir: relative(outDir, siteDir) || '.',
    torrents: entries.map(({ scope, url, torrentPath, infoHash, source, fingerprint }) => ({ scope, url, torrentPath, infoHash, source, fingerprint }))
  }
  outputs[MANIFEST_NAME] = `${JSON.stringify(manifest, null, 2)}\n`

  for (const [path, content] of Object.entries(outputs)) {
    await mkdir(dirname(join(outDir, path)), { recursive: true })
    await writeFile(join(outDir, path), content)
  }
  if (options.trackers.every((tracker) => !/^wss?:/.test(tracker))) {
    notes.push('No WebSocket tracker (ws:// or wss://): browsers find peers only through one.')
  }
  return { entries, written: Object.keys(outputs), notes, skipped: scan.skipped }
}

/** A page's same-site assets: what its markup loads, and what loaded stylesheets load. */
async function pageAssets (page: SitePage, byPath: Map<string, SiteFile>, origin: URL): Promise<SiteFile[]> {
  const found = new Map<string, SiteFile>()
  const visit = async (references: string[], fromPath: string): Promise<void> => {
    for (const reference of references) {
      const path = sitePathOf(reference, fromPath, origin)
      const file = path === null ? undefined : byPath.get(path)
      if (file === undefined || file === page.file || found.has(file.path)) continue
      found.set(file.path, file)
      if (/\.css$/i.test(file.path)) await visit(referencesInCss(await readFile(file.diskPath, 'utf8')), `/${file.path}`)
    }
  }
  await visit(referencesInHtml(await readFile(page.file.diskPath, 'utf8')), new URL(page.url).pathname)
  return [...found.values()]
}

const encodedPath = (path: string): string => path.split('/').map(encodeURIComponent).join('/')

function hashingProgress (progress: Progress): (done: number, total: number) => void {
  return (done, total) => {
    progress.update(done, total)
    if (done >= total) progress.done()
  }
}
