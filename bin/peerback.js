#!/usr/bin/env node
// The `peerback` command, run from the TypeScript sources with tsx (the same src/protocol/ code the
// extension is built from). Usage: peerback --help
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/publisher/cli.ts')
process.exitCode = await main(process.argv.slice(2))
