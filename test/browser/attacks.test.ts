// Attacks from the security review (issue 16), run in real browsers: each test fails when the
// protection it shows is removed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startDoh, startOrigin, type DohEndpoint, type Origin } from '../world/index.ts'
import { launch, type BrowserName, type Driver } from './drivers.ts'

/** A page whose references and script try every spelling of a path that leaves the mirror for `secret`. */
const leakyPage = (secret: number): string => `<!doctype html><html><head><title>Leaky</title>
<link rel="stylesheet" href="/.\\\\127.0.0.1:${secret}/s.css">
<link rel="stylesheet" href="/style.css">
<style>@import "/.//127.0.0.1:${secret}/imported.css"; body { background: url("/.//127.0.0.1:${secret}/bg.png") }</style>
</head><body><p id="greeting">Mirrored.</p>
<img src="/.//127.0.0.1:${secret}/s.png">
<img src="/%2F%2F127.0.0.1:${secret}/encoded.png">
<img src="/%2f%5c127.0.0.1:${secret}/mixed.png">
<img src="/%5C%5C127.0.0.1:${secret}/backslashes.png">
<img srcset="/.//127.0.0.1:${secret}/srcset.png 2x">
<script>
  // Forged asset requests, as the copy's own script can post them to the viewer.
  const paths = ['//127.0.0.1:${secret}/forged', '\\\\\\\\127.0.0.1:${secret}/forged', '/..//127.0.0.1:${secret}/forged', 'http://127.0.0.1:${secret}/forged',
    '/%2f%2f127.0.0.1:${secret}/forged', '/.%5c127.0.0.1:${secret}/forged', '//localhost:${secret}/forged', '//[::ffff:7f00:1]:${secret}/forged']
  let answered = 0
  addEventListener('message', (event) => {
    if (event.data?.type === 'file' && event.data.id >= 90000 && ++answered === paths.length) document.body.dataset.forged = String(answered)
  })
  paths.forEach((path, index) => parent.postMessage({ type: 'need', id: 90000 + index, path }, '*'))
</script>
</body></html>`

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let doh: DohEndpoint
  let secret: Origin
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peerback-attacks-'))
    doh = await startDoh()
    // A service on the reader's own machine that no web page may read.
    secret = await startOrigin({ root: resolve('test/fixtures/site') })
    driver = await launch(name, ['leaky.test', 'mirror.test'])
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  }, 60_000)

  afterAll(async () => {
    await driver?.close()
    await Promise.all([doh?.stop(), secret?.stop()])
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  test('a mirror copy cannot make the reader’s browser read a local service: no spelling of a path leaves the mirror', async () => {
    await writeFile(join(dir, 'index.html'), leakyPage(secret.port))
    await writeFile(join(dir, 'style.css'), '#greeting { color: rgb(1, 2, 3) }')
    const mirror = await startOrigin({ root: dir })
    const site = await startOrigin({ root: dir, headers: { 'X-Mirrored-By': `http://mirror.test:${mirror.port}/` } })
    await site.setMode('overloaded')
    const tab = await driver.openCopy(`http://leaky.test:${site.port}/`)
    try {
      expect(await tab.copy.text('#greeting')).toBe('Mirrored.')
      // The copy is rendered once every reference was asked for; its forged requests are answered too.
      if (name === 'chromium') await expect.poll(async () => await tab.copy.evaluate(() => document.body.dataset.forged ?? null)).toBe('8')
      expect(mirror.requests).toEqual(expect.arrayContaining(['/', '/style.css']))
      expect(secret.requests).toEqual([])
    } finally {
      await tab.close()
      await Promise.all([mirror.stop(), site.stop()])
    }
  })
})
