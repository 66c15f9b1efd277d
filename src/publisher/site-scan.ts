// What a site directory holds: its files (as the torrent paths they become) and its pages (as the
// URLs readers ask for). Hidden files (`.git`, `.htaccess`) and the publisher's own output are left out.
import { readdir, stat } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'

export interface SiteFile {
  /** Torrent path: `about/index.html`, always with `/`. */
  path: string
  /** Where it is on disk. */
  diskPath: string
  length: number
}

export interface SitePage {
  file: SiteFile
  /** The page's URL on the origin: `https://example.com/about/`. */
  url: string
}

export interface SiteScan {
  files: SiteFile[]
  pages: SitePage[]
  /** Paths left out and why, for the summary. */
  skipped: string[]
}

export async function scanSite (siteDir: string, origin: URL, { exclude = [] }: { exclude?: string[] } = {}): Promise<SiteScan> {
  const root = resolve(siteDir)
  const excluded = exclude.map((path) => resolve(path))
  const files: SiteFile[] = []
  const skipped: string[] = []

  async function walk (dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true })
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    for (const entry of entries) {
      const diskPath = join(dir, entry.name)
      const path = relative(root, diskPath).split(sep).join('/')
      if (entry.name.startsWith('.')) continue
      if (excluded.some((out) => diskPath === out || diskPath.startsWith(out + sep))) {
        skipped.push(`${path}/ (the publisher's output)`)
        continue
      }
      if (entry.isDirectory()) await walk(diskPath)
      else if (entry.isFile()) files.push({ path, diskPath, length: (await stat(diskPath)).size })
      else skipped.push(`${path} (${entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'})`)
    }
  }
  await walk(root)

  const pages = files.filter((file) => /\.html?$/i.test(file.path)).map((file) => ({ file, url: pageUrl(file.path, origin) }))
  return { files, pages, skipped }
}

/** `about/index.html` → `<origin>/about/`; `notes.html` → `<origin>/notes.html`. */
export function pageUrl (path: string, origin: URL): string {
  const base = origin.href.endsWith('/') ? origin.href : `${origin.href}/`
  const urlPath = path.replace(/(^|\/)index\.html?$/i, '$1').split('/').map(encodeURIComponent).join('/')
  return new URL(urlPath, base).href
}
