// The publisher's header snippets: the same pointer headers (docs/protocol.md) for nginx, Apache,
// Caddy and a Netlify/Cloudflare Pages `_headers` file, plus the overload answer for nginx and
// Apache: when the server sheds load, a 503 that names the torrent instead of a timeout.
export interface PagePointers {
  /** The page's path on the site: `/`, `/posts/1/`. */
  path: string
  /** The .torrent's URL (absolute or root-relative) or a magnet link. */
  torrent: string
  mirrors: string[]
  /** Lowercase hex. */
  md5?: string
  /** Base64. */
  sha256?: string
}

export interface Snippets { nginx: string, apache: string, caddy: string, headersFile: string }

/** Header name → values for one page. */
export function pointerHeaders (page: PagePointers): Array<[string, string]> {
  const headers: Array<[string, string]> = [['X-Torrent', page.torrent]]
  if (!page.torrent.startsWith('magnet:')) headers.push(['Link', `<${page.torrent}>; rel="describedby"; type="application/x-bittorrent"`])
  for (const mirror of page.mirrors) headers.push(['X-Mirrored-By', mirror], ['Link', `<${mirror}>; rel=duplicate`])
  if (page.md5 !== undefined) headers.push(['X-MD5', page.md5])
  if (page.sha256 !== undefined) headers.push(['Repr-Digest', `sha-256=:${page.sha256}:`])
  return headers
}

/**
 * Whether a header is sent on error answers too. `Repr-Digest` is not: on a 5xx it would describe
 * the error page (RFC 9530), and readers ignore it there; X-MD5 names the page whatever the status
 * (docs/protocol.md, "Digests on a failing response").
 */
const onErrorsToo = (name: string): boolean => name !== 'Repr-Digest'

// Header values are written between double quotes in every format below; none of ours holds one,
// and a URL that did would be refused before it got here.
const q = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`
const exact = (path: string): string => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function snippets (pages: PagePointers[]): Snippets {
  // nginx serves `/about/` by an internal redirect to `/about/index.html`, and only the location
  // that answers adds its headers: a directory's page gets the same block for its index file.
  const nginx = pages.flatMap((page) => page.path.endsWith('/') ? [page, { ...page, path: `${page.path}index.html` }] : [page]).map((page) => [
    `location = ${page.path} {`,
    ...pointerHeaders(page).map(([name, value]) => `    add_header ${name} ${q(value)}${onErrorsToo(name) ? ' always' : ''};`),
    '}'
  ].join('\n')).join('\n')

  const apache = pages.map((page) => [
    `<LocationMatch "^${exact(page.path)}$">`,
    ...pointerHeaders(page).map(([name, value]) => `    Header ${onErrorsToo(name) ? 'always ' : ''}add ${name} ${q(value)}`),
    '</LocationMatch>'
  ].join('\n')).join('\n')

  const caddy = pages.map((page, index) => [
    `@peerback${index} path ${page.path}`,
    `header @peerback${index} {`,
    ...pointerHeaders(page).map(([name, value]) => `    +${name} ${q(value)}`),
    '}'
  ].join('\n')).join('\n')

  const headersFile = pages.map((page) => [page.path, ...pointerHeaders(page).map(([name, value]) => `  ${name}: ${value}`)].join('\n')).join('\n')

  return { nginx: nginx + '\n', apache: apache + '\n', caddy: caddy + '\n', headersFile: headersFile + '\n' }
}

/**
 * The overload answer: any URL may get it, so it names the site torrent (a page torrent would
 * show its one page for every path).
 */
export function overloadSnippets (siteTorrent: string): { nginx: string, apache: string } {
  const torrent = siteTorrent
  const nginxOverload = [
    '# In the http {} block: how much load this server takes before it sheds the rest.',
    'limit_conn_zone $binary_remote_addr zone=peerback_per_ip:10m;',
    'limit_req_zone $server_name zone=peerback_site:1m rate=50r/s;',
    '',
    '# In the server {} block: shed load with a 503 that points readers to the copy.',
    'limit_conn peerback_per_ip 20;',
    'limit_req zone=peerback_site burst=100 nodelay;',
    'limit_conn_status 503;',
    'limit_req_status 503;',
    'error_page 503 @peerback_overloaded;',
    'location @peerback_overloaded {',
    `    add_header X-Torrent ${q(torrent)} always;`,
    '    add_header Retry-After "120" always;',
    '    return 503 "This site is busy. Peerback readers get the page from other readers.\\n";',
    '}'
  ].join('\n')
  const apacheOverload = [
    '# Apache has no built-in request limiter; with mod_qos or mod_evasive answering 503 when they',
    '# shed load, this makes every 503 name the torrent and when to come back.',
    `Header always set X-Torrent ${q(torrent)} "expr=%{REQUEST_STATUS} == 503"`,
    'Header always set Retry-After "120" "expr=%{REQUEST_STATUS} == 503"'
  ].join('\n')
  return { nginx: nginxOverload + '\n', apache: apacheOverload + '\n' }
}

export interface AliasSnippets { nginx: string, apache: string, caddy: string, redirectsFile: string }

/**
 * BEP 19 web seeds fetch a multi-file torrent's files at `<web seed>/<torrent name>/<path>`; these
 * serve `/<name>/<path>` as `/<path>`, so the origin (and a mirror) can be a web seed of its own tree.
 */
export function webSeedAliases (name: string): AliasSnippets {
  const prefix = `/${name}`
  return {
    nginx: [`location ^~ ${prefix}/ {`, `    rewrite ^${exact(prefix)}(/.*)$ $1 last;`, '}'].join('\n') + '\n',
    apache: ['RewriteEngine On', `RewriteRule ^/?${exact(name)}/(.*)$ /$1 [PT,L]`].join('\n') + '\n',
    caddy: `uri ${prefix}/* strip_prefix ${prefix}\n`,
    redirectsFile: `${prefix}/*  /:splat  200\n`
  }
}
