// `peerback.json`: the defaults a site owner would otherwise retype on every publish (origin,
// trackers, mirrors, record form, output directory). Read from --config, else ./peerback.json when
// there is one; the command line wins over it. Not to be confused with <out>/peerback.json, the
// manifest `publish` writes for `seed` (it has `torrents`): that one is not a config.
import { readFile } from 'node:fs/promises'
import { UsageError } from './command-line'

export interface Config {
  origin?: string
  trackers?: string[]
  mirrors?: string[]
  records?: string
  out?: string
}

const FIELDS: Record<keyof Config, 'string' | 'strings'> = { origin: 'string', trackers: 'strings', mirrors: 'strings', records: 'string', out: 'string' }

export async function readConfig (path: string | undefined): Promise<Config> {
  const file = path ?? 'peerback.json'
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new UsageError(`Cannot read --config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
  }
  return parseConfig(text, file, path !== undefined)
}

/** The config a file holds; `explicit`: named by --config (a seed manifest there is a mistake). */
export function parseConfig (text: string, file: string, explicit: boolean): Config {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}.`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${file} must hold a JSON object.`)
  const record = value as Record<string, unknown>
  if (Array.isArray(record.torrents)) {
    if (explicit) throw new UsageError(`${file} is the manifest publish writes for seed, not a config.`)
    return {}
  }
  const config: Config = {}
  for (const [key, entry] of Object.entries(record)) {
    const kind = FIELDS[key as keyof Config]
    if (kind === undefined) throw new UsageError(`${file}: unknown field "${key}" (known: ${Object.keys(FIELDS).join(', ')}).`)
    const good = kind === 'string' ? typeof entry === 'string' : Array.isArray(entry) && entry.every((item) => typeof item === 'string')
    if (!good) throw new UsageError(`${file}: "${key}" must be ${kind === 'string' ? 'a string' : 'a list of strings'}.`)
    Object.assign(config, { [key]: entry })
  }
  return config
}
