// The entry of the built `peerback` package (vite.cli.config.ts): the command line, as plain JavaScript.
import { main } from './cli'

process.exitCode = await main(process.argv.slice(2))
