// A real DNS server in the test world: BIND 9 (Debian's bind9; 9.18 serves DNS over HTTPS itself)
// loads a zone for a site that $INCLUDEs the `_torrent.zone` fragment `peerback publish` wrote,
// checked first by named-checkzone, and answers over DoH. BIND speaks DoH over HTTP/2 only, and
// browsers speak HTTP/2 only over TLS: it serves the test world's certificate (*.test), at
// `dns.test`, which the test browsers map to loopback.
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { LookupFunction } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.ts'
import { promisify } from 'node:util'
import { TEST_TLS } from './chromium.ts'

/**
 * How Node reaches BIND's DoH (`peerback check`'s resolverConnect): every name leads to loopback,
 * and the URL names pin.test, which the test world's certificate names outright (Node does not take
 * its *.test, a wildcard over a top-level name).
 */
export function nodeResolverOf (bind: Bind): { resolver: string, resolverConnect: { lookup: LookupFunction, ca: string } } {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all === true) (callback as unknown as (error: null, addresses: Array<{ address: string, family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }])
    else callback(null, '127.0.0.1', 4)
  }
  return { resolver: bind.url.replace('//dns.test:', '//pin.test:'), resolverConnect: { lookup, ca: TEST_TLS.cert } }
}

export interface Bind {
  /** The DoH endpoint, `https://dns.test:<port>/dns-query`: the extension's "resolver" setting. */
  readonly url: string
  /** What named-checkzone said about the zone. */
  readonly checked: string
  stop: () => Promise<void>
}


export async function startBind ({ zone, fragment }: { zone: string, fragment: string }): Promise<Bind> {
  const dir = await mkdtemp(join(tmpdir(), 'peerback-bind-'))
  const zoneFile = join(dir, `${zone}.zone`)
  await writeFile(zoneFile, [
    `$ORIGIN ${zone}.`,
    '$TTL 300',
    `@ IN SOA ns.${zone}. hostmaster.${zone}. 1 3600 600 86400 300`,
    `@ IN NS ns.${zone}.`,
    'ns IN A 127.0.0.1',
    `$INCLUDE ${fragment}`,
    ''
  ].join('\n'))
  const { stdout: checked } = await promisify(execFile)('named-checkzone', [zone, zoneFile])
  const [dnsPort, httpPort] = [await freePort(), await freePort()]
  await writeFile(join(dir, 'cert.pem'), TEST_TLS.cert)
  await writeFile(join(dir, 'key.pem'), TEST_TLS.key, { mode: 0o600 })
  const conf = join(dir, 'named.conf')
  await writeFile(conf, `options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port ${dnsPort} { 127.0.0.1; };
  listen-on port ${httpPort} tls test-world http doh { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
};
controls { };
tls test-world { cert-file "${dir}/cert.pem"; key-file "${dir}/key.pem"; };
http doh { endpoints { "/dns-query"; }; };
zone "${zone}" { type primary; file "${zoneFile}"; };
`)
  const named = spawn('named', ['-g', '-n', '1', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  const exited = new Promise<void>((resolve) => named.on('close', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`named did not start within 20 s:\n${log}`)), 20_000)
    named.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk
      if (/all zones loaded[\s\S]*running/.test(log)) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then(() => { clearTimeout(timer); reject(new Error(`named exited:\n${log}`)) })
  })
  return {
    url: `https://dns.test:${httpPort}/dns-query`,
    checked,
    stop: async () => {
      named.kill('SIGTERM')
      await exited
      await rm(dir, { recursive: true, force: true })
    }
  }
}
