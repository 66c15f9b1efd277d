// Chromium's processes as Linux shows them (/proc): the family of one browser profile, and the CPU
// time each kind of process spent (where a transfer's time goes).
import { readdir, readFile } from 'node:fs/promises'

export interface ChromiumProcess { pid: number, cmdline: string }

/** The browser process started with this profile and all its descendants (zygotes, renderers, GPU…). */
export async function chromiumFamily (profileDir: string): Promise<ChromiumProcess[]> {
  const children = new Map<number, number[]>()
  const cmdlines = new Map<number, string>()
  let browser: number | undefined
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
    const parent = Number(/\) \S (\d+)/.exec(stat)?.[1] ?? 0)
    children.set(parent, [...(children.get(parent) ?? []), pid])
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ')
    cmdlines.set(pid, cmdline)
    if (cmdline.includes(`--user-data-dir=${profileDir}`) && !cmdline.includes('--type=')) browser = pid
  }
  if (browser === undefined) throw new Error(`no Chromium runs with the profile ${profileDir}`)
  const family: ChromiumProcess[] = []
  const visit = (pid: number): void => {
    family.push({ pid, cmdline: cmdlines.get(pid) ?? '' })
    for (const child of children.get(pid) ?? []) visit(child)
  }
  visit(browser)
  return family
}

/** What a Chromium process is, from its command line. */
export function processKind (cmdline: string): string {
  if (!cmdline.includes('--type=')) return 'browser'
  if (cmdline.includes('--extension-process')) return 'extension renderer (viewer)'
  if (cmdline.includes('--type=renderer')) return 'web renderers'
  if (cmdline.includes('--type=gpu-process')) return 'GPU'
  if (cmdline.includes('network.mojom.NetworkService')) return 'network service'
  return 'other helpers'
}

const TICKS_PER_SECOND = 100

/** CPU seconds (user + system) each kind of process of a profile has used so far. */
export async function cpuByKind (profileDir: string): Promise<Record<string, number>> {
  const used: Record<string, number> = {}
  for (const { pid, cmdline } of await chromiumFamily(profileDir)) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0)
    const kind = processKind(cmdline)
    used[kind] = (used[kind] ?? 0) + ticks / TICKS_PER_SECOND
  }
  return used
}
