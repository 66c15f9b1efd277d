// The DNS names under which a site publishes a page's torrent (docs/protocol.md):
// `<sha1hex(request-target)>._torrent.<host>` for the page, `_torrent.<host>` for the whole site.
import { bytesToHex } from './base64'
import { fail, ok, quote, type Result } from './errors'

export interface TorrentRecordNames {
  /** The request-target the page record is keyed by: path plus `?query`, as the browser sends it. */
  requestTarget: string
  page: string
  site: string
}

/**
 * The request-target of a URL as sent in the HTTP request line: the path (`/` for the root) plus
 * `?query` if any, with the browser's own percent-encoding; never the fragment.
 */
export function requestTarget (url: URL): string {
  const withoutFragment = url.href.split('#')[0] as string
  const query = withoutFragment.indexOf('?')
  return (url.pathname === '' ? '/' : url.pathname) + (query === -1 ? '' : withoutFragment.slice(query))
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

export async function torrentRecordNames (pageUrl: string): Promise<Result<TorrentRecordNames>> {
  let url: URL
  try {
    url = new URL(pageUrl)
  } catch {
    return fail('bad-url', `${quote(pageUrl)} is not a URL.`, [quote(pageUrl)])
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('not-http', `${quote(pageUrl)} is not a web page: only http and https pages have _torrent records.`)
  }
  // WHATWG URL parsing already gives IDN hosts in punycode (xn--…) and lowercase.
  const host = url.hostname.replace(/\.$/, '')
  if (host.startsWith('[') || IPV4.test(host)) {
    return fail('ip-literal-host', `${host} is an IP address, not a name: it has no _torrent DNS record to look up.`, [host])
  }
  const target = requestTarget(url)
  return ok({ requestTarget: target, page: `${await sha1Hex(target)}._torrent.${host}`, site: `_torrent.${host}` })
}

async function sha1Hex (text: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))))
}
