// `peerback check <url>`: the checklist of check.ts, printed for a person (or as JSON), with the
// exit code a script can test.
import { checkDeployment } from './check'
import { EXIT, httpUrl, parseCommand, UsageError } from './command-line'

const CLOUDFLARE = 'https://cloudflare-dns.com/dns-query'

export const CHECK_HELP = `Usage: peerback check <url> [--resolver <doh-url>] [--overload <url>] [--json]

Checks a published page as a reader's browser will find it: its pointer and digest headers, the
torrent they name (valid, and holding the page), the page and site DNS records (through a
DNS-over-HTTPS resolver, and naming the same torrent as the headers), a tracker that lists a seeder,
and a web seed whose bytes match the torrent. Each failure says what to do.

Options:
  --resolver <url>      DNS-over-HTTPS resolver to ask (default ${CLOUDFLARE})
  --overload <url>      also check the shed-load answer: a fast 503 with X-Torrent
  --timeout <s>         the most any one step may take (default 10)
  --json                the checklist as JSON
  -h, --help            this help

Exit codes: 0 every check passed; 1 a check failed; 2 the command was called wrong.
`

export async function checkCommand (args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, { resolver: { type: 'string' }, overload: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } })
  if (values.help === true) {
    process.stdout.write(CHECK_HELP)
    return EXIT.ok
  }
  const [target, ...extra] = positionals
  if (target === undefined) throw new UsageError('Give the page to check: peerback check https://example.com/')
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra.join(' ')}.`)
  const timeout = values.timeout === undefined ? 10 : Number(values.timeout)
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout ${values.timeout as string} is not a number of seconds.`)
  const items = await checkDeployment(httpUrl(target, 'the URL').href, {
    resolver: httpUrl(values.resolver ?? CLOUDFLARE, '--resolver').href,
    ...(values.overload !== undefined && { overload: httpUrl(values.overload, '--overload').href }),
    timeoutMs: timeout * 1000
  })
  const passed = items.every((item) => item.ok)
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ url: target, passed, checks: items }, null, 2)}\n`)
  } else {
    for (const item of items) {
      process.stdout.write(`${item.ok ? '✓' : '✗'} ${item.name}: ${item.detail}\n`)
      if (!item.ok && item.fix !== undefined) process.stdout.write(`    → ${item.fix}\n`)
    }
    const failed = items.filter((item) => !item.ok).length
    process.stdout.write(passed ? `\nAll ${items.length} checks passed.\n` : `\n${failed} of ${items.length} checks failed.\n`)
  }
  return passed ? EXIT.ok : EXIT.failed
}
