#!/usr/bin/env node
// Runs a command inside a private network namespace that has only `lo`, so nothing a test starts
// (browsers, WebRTC, trackers) can reach past loopback: `node test/world/netns.mjs <cmd> [args…]`.
// As root: `unshare -n`; otherwise `unshare -rn`. Where no namespace can be made (e.g. unprivileged
// user namespaces blocked), the command runs without one and says so; under CI that is an error.
import { spawnSync } from 'node:child_process'

const INSIDE = 'PEERBACK_NETNS'
const command = process.argv.slice(2)
if (command.length === 0) {
  console.error('usage: node test/world/netns.mjs <command> [args…]')
  process.exit(2)
}

function run (argv, env = process.env) {
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env })
  if (result.error) {
    console.error(`netns: cannot run ${argv[0]}: ${result.error.message}`)
    return 127
  }
  return result.status ?? 1
}

function quiet (argv) {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' })
  return { ok: !result.error && result.status === 0, output: `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim() }
}

if (process.env[INSIDE] === '1') {
  // Inside the namespace: bring up loopback, and give it routes to a public address so that
  // Firefox, which gathers candidates on the default route's interface, finds 127.0.0.1 and ::1.
  // No packet goes anywhere: the namespace has no other interface.
  for (const step of [
    ['ip', 'link', 'set', 'lo', 'up'],
    ['ip', 'route', 'add', '8.8.8.8/32', 'dev', 'lo', 'src', '127.0.0.1'],
    ['ip', '-6', 'route', 'add', '2001:4860:4860::8888/128', 'dev', 'lo', 'src', '::1']
  ]) {
    const { ok, output } = quiet(step)
    if (!ok) {
      console.error(`netns: \`${step.join(' ')}\` failed: ${output}`)
      process.exit(1)
    }
  }
  process.exit(run(command))
}

const unshare = process.getuid?.() === 0 ? ['unshare', '-n'] : ['unshare', '-rn']
const probe = process.platform === 'linux' ? quiet([...unshare, 'true']) : { ok: false, output: 'not Linux' }
if (!probe.ok) {
  const why = `no private network namespace could be made (${probe.output || 'unshare failed'})`
  if (process.env.CI) {
    console.error(`netns: ${why}; CI must run the browser tests inside one.`)
    process.exit(1)
  }
  console.warn(`netns: ${why}. Running without one: WebRTC will use this machine's own interfaces.`)
  process.exit(run(command))
}
process.exit(run([...unshare, process.execPath, import.meta.filename, ...command], { ...process.env, [INSIDE]: '1' }))
