// The `peerback` command: publish a site, seed it, and run the tracker and DoH endpoint it may need.
import { readFileSync } from 'node:fs'
import { checkCommand } from './check-command'
import { EXIT, UsageError } from './command-line'
import { publishCommand } from './publish-command'
import { seedCommand } from './seed-command'
import { dohCommand, trackerCommand } from './server-commands'

const HELP = `Usage: peerback <command> [options]

Commands:
  publish <site-dir> --origin <url>   torrents, _torrent DNS records and header snippets for a site
  seed <out-dir>                      seed the published torrents to browsers (until Ctrl-C)
  tracker                             run a WebSocket + HTTP BitTorrent tracker
  doh --zone <file>                   serve a zone fragment's TXT records over DNS-over-HTTPS
  check <url>                         check a live deployment end to end, as readers will find it

Run peerback help <command> (or peerback <command> --help) for a command's options;
peerback --version prints the version.

Exit codes: 0 done; 1 the work failed (a file not written, a port taken, nothing to seed);
2 the command was called wrong (unknown option, missing directory, bad URL).
`

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  publish: publishCommand,
  seed: seedCommand,
  tracker: trackerCommand,
  doh: dohCommand,
  check: checkCommand
}

/** Set by the package build (vite.cli.config.ts); from the sources, package.json says it. */
declare const PEERBACK_VERSION: string | undefined

/** The version of the package this command comes from. */
function version (): string {
  if (typeof PEERBACK_VERSION === 'string') return PEERBACK_VERSION
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}

export async function main (argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (first === '--version' || first === '-v' || first === 'version') {
    process.stdout.write(`peerback ${version()}\n`)
    return EXIT.ok
  }
  // `help <command>` is `<command> --help`.
  const [name, ...args] = first === 'help' && rest[0] !== undefined ? [rest[0], '--help'] : argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  const command = COMMANDS[name]
  if (command === undefined) {
    process.stderr.write(`peerback: unknown command "${name}".\n\n${HELP}`)
    return EXIT.usage
  }
  try {
    return await command(args)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`peerback ${name}: ${error.message}\nRun peerback ${name} --help for the options.\n`)
      return EXIT.usage
    }
    process.stderr.write(`peerback ${name}: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.failed
  }
}
