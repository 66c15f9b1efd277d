// The one rule for every URL the extension fetches because a site said so: a `.torrent` an
// X-Torrent or Link header names, a magnet's xs= / ws= / as=, a torrent's web seeds, mirrors and
// their assets, and every redirect any of them would follow. The extension has host permissions,
// so CORS does not hold it back as it holds back a web page: without this rule a site could make
// its readers' browsers read their routers, `localhost` services and intranets. Pure; hosts are
// judged by name and literal address as the URL parser spells them (nothing is resolved).

export interface FetchContext {
  /** The page the site's word came with; a page on a private host may name private hosts. */
  page: string
  /** The reader allowed private hosts (settings). */
  allowPrivateHosts: boolean
  /** Hosts the reader turned Peerback off for (settings, already normalised). */
  offSites: readonly string[]
}

export type Verdict = { ok: true, url: URL } | { ok: false, why: string }

/** Whether `target` (absolute, or relative to `base`) may be fetched on the site's word. */
export function judgeFetch (target: string, context: FetchContext, base?: string): Verdict {
  if (!URL.canParse(target, base)) return { ok: false, why: `${clip(target)} is not a URL` }
  const url = new URL(target, base)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, why: `${clip(url.href)} is not an http(s) address` }
  if (url.username !== '' || url.password !== '') return { ok: false, why: `${url.host} is named with a user name or password` }
  if (isOffSite(url.hostname, context.offSites)) return { ok: false, why: `Peerback is off for ${url.hostname}` }
  if (isPrivateHost(url.hostname) && !context.allowPrivateHosts && !pageIsPrivate(context.page)) {
    return { ok: false, why: `${url.host} is on a private network, and the page is not` }
  }
  return { ok: true, url }
}

const pageIsPrivate = (page: string): boolean => URL.canParse(page) && isPrivateHost(new URL(page).hostname)

/** A host of a home or office network, or of this machine: loopback, private, link-local, CGNAT, local names. */
export function isPrivateHost (host: string): boolean {
  const name = canonicalHost(host)
  if (name === null) return true // what the URL parser refuses is nobody's public host
  if (name.startsWith('[')) return privateV6(parseV6(name.slice(1, -1)))
  const v4 = parseDottedV4(name)
  if (v4 !== null) return privateV4(v4)
  if (!name.includes('.')) return true // single-label names resolve on the local network
  return LOCAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))
}

const LOCAL_SUFFIXES = ['localhost', 'local', 'lan', 'internal', 'home.arpa', 'intranet', 'corp', 'localdomain']

/**
 * The host as the URL parser spells it (IPv4 in dotted decimal whatever the spelling, IPv6
 * compressed and bracketed, names lowercased), without trailing dots; null when it is no host.
 */
export function canonicalHost (host: string): string | null {
  const bare = host.trim()
  const bracketed = bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare
  if (bracketed === '' || !URL.canParse(`http://${bracketed}/`)) return null
  const hostname = new URL(`http://${bracketed}/`).hostname
  const trimmed = hostname.startsWith('[') ? hostname : hostname.replace(/\.+$/, '')
  if (trimmed === '') return null
  // "127.0.0.1." is an IPv4 address to the resolver, though the URL parser keeps it as a name.
  return trimmed !== hostname && URL.canParse(`http://${trimmed}/`) ? new URL(`http://${trimmed}/`).hostname : trimmed
}

function parseDottedV4 (name: string): number[] | null {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name)
  return parts === null ? null : parts.slice(1).map(Number)
}

function privateV4 ([a = 0, b = 0, c = 0]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || // this network, private, loopback
    (a === 100 && b >= 64 && b <= 127) || // CGNAT
    (a === 169 && b === 254) || // link-local (cloud metadata services)
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || // private
    (a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19)) || // IETF, benchmarking
    a >= 224 // multicast, reserved, broadcast
}

/** Eight 16-bit groups of a bracketless IPv6 address as the URL parser writes it (hex, `::` once). */
function parseV6 (text: string): number[] {
  const [head = '', tail] = text.split('::')
  const groups = (part: string): number[] => part === '' ? [] : part.split(':').map((group) => parseInt(group, 16))
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  return [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right]
}

function privateV6 (groups: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups
  const embedded = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]
  const zeroesTo = (end: number): boolean => groups.slice(0, end).every((group) => group === 0)
  if (zeroesTo(6)) return true // ::, ::1, and the IPv4-compatible ::a.b.c.d
  if (zeroesTo(5) && g5 === 0xffff) return privateV4(embedded) // IPv4-mapped ::ffff:a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return privateV4(embedded) // NAT64
  if (g0 === 0x2002) return privateV4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff]) // 6to4
  return (g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0 || // link-local, old site-local
    (g0 & 0xff00) === 0xff00 // multicast
}

/**
 * An entry of the reader's off-sites list as stored: a bare lowercased host, from a pasted URL,
 * `*.example.com`, `Example.COM.` or a host; null for what names no host.
 */
export function siteEntry (input: string): string | null {
  const text = input.trim().replace(/^\*\./, '')
  if (text === '') return null
  if (text.includes('://') && !URL.canParse(text)) return null
  const pasted = URL.canParse(text) && /^https?:$/.test(new URL(text).protocol) ? new URL(text).hostname : null
  // A host with a port (one colon, or after an IPv6 literal's bracket) keeps the host only.
  const host = pasted ?? (text.split(/[/?#]/)[0] ?? '').replace(/^([^:]*|\[[^\]]*\]):\d*$/, '$1')
  if (host === '' || /[\s@]/.test(host)) return null
  return canonicalHost(host)
}

/** Whether `host` is one of `offSites` or under one (case and trailing dots do not matter). */
export function isOffSite (host: string, offSites: readonly string[]): boolean {
  const name = canonicalHost(host)
  if (name === null) return false
  return offSites.some((site) => name === site || name.endsWith(`.${site}`))
}

const clip = (text: string): string => text.length > 120 ? `${text.slice(0, 117)}…` : text
