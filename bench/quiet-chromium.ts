// Chromium with the extension and no DevTools client attached while it works. Playwright pauses
// every new page, frame and worker until its Node process has set it up (waitForDebuggerOnStart);
// a failover opens several (the viewer's process, the sandbox frame), and that Node process also
// runs the seeder, so the pauses would be measured as Peerback's. Here the browser is driven over
// --remote-debugging-pipe with browser-level commands only, and a page is attached to just to read
// it once its work is done.
import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { commonArgs } from '../test/world/chromium.ts'
import { findChromium } from '../test/world/find-browser.ts'

export interface TargetInfo { targetId: string, type: string, url: string }

export interface QuietChromium {
  /** Opens a tab at `url`; its target id. */
  open: (url: string) => Promise<string>
  targets: () => Promise<TargetInfo[]>
  closeTarget: (targetId: string) => Promise<void>
  /** Evaluates an expression in a target (attached for this call only) and returns its value. */
  evaluate: <T>(targetId: string, expression: string) => Promise<T>
  /** Stops every service worker, as Chrome does after 30 s idle (through any page target). */
  stopServiceWorkers: (pageTargetId: string) => Promise<void>
  close: () => Promise<void>
}

const SETTLE_MS = 4000

interface Reply { id?: number, result?: unknown, error?: { message: string } }

/**
 * `extensionDir`: by default the copy of the extension the test world's launcher made for this
 * profile (test/world/granted.ts); an unpacked extension's id comes from its path, so any other
 * would be another extension, without the settings the profile was given.
 */
export async function launchQuietChromium (profileDir: string, extensionDir = join(profileDir, 'peerback-extension')): Promise<QuietChromium> {
  const extension = resolve(extensionDir)
  const child: ChildProcess = spawn(findChromium(), [
    ...commonArgs({}), '--headless', '--remote-debugging-pipe', `--user-data-dir=${profileDir}`,
    `--disable-extensions-except=${extension}`, `--load-extension=${extension}`, 'about:blank'
  ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: resolve(profileDir, '..') } })
  const input = child.stdio[3] as Writable
  const output = child.stdio[4] as Readable
  const pending = new Map<number, (reply: Reply) => void>()
  let nextId = 1
  let buffered = ''
  output.setEncoding('utf8')
  output.on('data', (chunk: string) => {
    buffered += chunk
    let end: number
    while ((end = buffered.indexOf('\0')) >= 0) {
      const reply = JSON.parse(buffered.slice(0, end)) as Reply
      buffered = buffered.slice(end + 1)
      if (reply.id !== undefined) pending.get(reply.id)?.(reply)
    }
  })

  async function send<T> (method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = nextId++
    const reply = await new Promise<Reply>((resolve) => {
      pending.set(id, resolve)
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId !== undefined && { sessionId }) })}\0`)
    })
    pending.delete(id)
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`)
    return reply.result as T
  }

  async function attached<T> (targetId: string, use: (sessionId: string) => Promise<T>): Promise<T> {
    const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
    try {
      return await use(sessionId)
    } finally {
      await send('Target.detachFromTarget', { sessionId }).catch(() => {})
    }
  }

  const quiet: QuietChromium = {
    open: async (url) => (await send<{ targetId: string }>('Target.createTarget', { url })).targetId,
    targets: async () => (await send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos,
    closeTarget: async (targetId) => { await send('Target.closeTarget', { targetId }) },
    evaluate: async <T>(targetId: string, expression: string) => await attached(targetId, async (sessionId) => {
      const { result, exceptionDetails } = await send<{ result: { value: T }, exceptionDetails?: { text: string } }>(
        'Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)
      if (exceptionDetails !== undefined) throw new Error(`${expression}: ${exceptionDetails.text}`)
      return result.value
    }),
    stopServiceWorkers: async (pageTargetId) => {
      await attached(pageTargetId, async (sessionId) => {
        await send('ServiceWorker.enable', {}, sessionId)
        await send('ServiceWorker.stopAllWorkers', {}, sessionId)
      })
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await send('Browser.close').catch(() => {})
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
      child.kill('SIGKILL')
    }
  }
  // The extension's worker is up, and the browser's own start-up work is over, before anything is
  // measured: a reader's browser has been running for a while when a site goes down.
  const until = Date.now() + 15_000
  while (!(await quiet.targets()).some((target) => target.type === 'service_worker' && target.url.startsWith('chrome-extension://'))) {
    if (Date.now() > until) throw new Error('the extension\'s service worker did not start within 15 s')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  return quiet
}
