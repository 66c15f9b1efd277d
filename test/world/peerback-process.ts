// The `peerback` command as a real process (bin/peerback.js), for tests and the demo.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

export const PEERBACK_BIN = resolve(import.meta.dirname, '../../bin/peerback.js')

export interface Finished { code: number | null, stdout: string, stderr: string }

/** Runs a command to its end; `bin`: another `peerback` (the installed package's). */
export async function runPeerback (args: string[], { cwd = process.cwd(), bin = PEERBACK_BIN }: { cwd?: string, bin?: string } = {}): Promise<Finished> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = collect(child)
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)))
  return { code, ...output }
}

export interface Running {
  /** What it printed so far. */
  readonly output: { stdout: string, stderr: string }
  readonly pid: number
  /** SIGTERM (what Ctrl-C and service managers send), then its exit code and output. */
  stop: () => Promise<Finished>
}

/** Starts a long-running command and waits until its standard output matches `ready`. */
export async function startPeerback (args: string[], ready: RegExp, { cwd = process.cwd(), timeoutMs = 30_000, bin = PEERBACK_BIN } = {}): Promise<Running> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = collect(child)
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`peerback ${args[0]} printed nothing matching ${ready} in ${timeoutMs} ms:\n${output.stdout}${output.stderr}`)), timeoutMs)
    const check = (): void => {
      if (!ready.test(output.stdout)) return
      clearTimeout(timer)
      resolve()
    }
    child.stdout?.on('data', check)
    void closed.then((code) => {
      clearTimeout(timer)
      reject(new Error(`peerback ${args[0]} exited (${code}) before it was ready:\n${output.stdout}${output.stderr}`))
    })
  })
  return {
    output,
    pid: child.pid as number,
    async stop () {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return { code: await closed, ...output }
    }
  }
}

function collect (child: ChildProcess): { stdout: string, stderr: string } {
  const output = { stdout: '', stderr: '' }
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { output.stdout += chunk })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { output.stderr += chunk })
  return output
}

/**
 * A site owner's first steps as real processes: `peerback tracker`, then `peerback publish` of
 * `siteDir` for `origin` into `outDir`, announcing to that tracker. Throws with publish's output if it fails.
 */
export async function trackerAndPublish (siteDir: string, origin: string, outDir: string): Promise<Running> {
  const tracker = await startPeerback(['tracker', '--port', '0'], /WebSocket: +ws:\/\/\S+/)
  const trackerUrl = /WebSocket: +(ws:\/\/\S+)/.exec(tracker.output.stdout)?.[1] as string
  const published = await runPeerback(['publish', siteDir, '--origin', origin, '--tracker', trackerUrl, '--out', outDir])
  if (published.code !== 0) {
    await tracker.stop()
    throw new Error(`peerback publish failed (${published.code}):\n${published.stderr}`)
  }
  return tracker
}
