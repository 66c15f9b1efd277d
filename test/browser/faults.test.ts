// Broken infrastructure a reader must not notice, or must be told about plainly (issue 8): a tracker
// that is down beside one that works, every tracker down while the site's mirror (the torrent's web
// seed) still answers, and a resolver in trouble.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import createTorrent from 'create-torrent'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { encodeTorrentRecords } from '../../src/protocol/txt-records.ts'
import { startDoh, startLiar, startOrigin, startSeeder, startTracker, type DohEndpoint, type Origin, type Seeder, type Tracker } from '../world/index.ts'
import { launch, type BrowserName, type CopyTab, type Driver } from './drivers.ts'

const SITE = resolve('test/fixtures/site')
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')

describe.each<BrowserName>(['chromium', 'firefox'])('%s', (name) => {
  let driver: Driver
  let dead: Origin // the site itself, down
  let mirror: Origin // serves test/fixtures, so the web seed's /site/<path> is the site's file
  let doh: DohEndpoint
  let tracker: Tracker
  let seeder: Seeder
  let deadTracker: string

  beforeAll(async () => {
    tracker = await startTracker()
    doh = await startDoh()
    dead = await startOrigin({ root: SITE })
    await dead.setMode('down')
    mirror = await startOrigin({ root: resolve('test/fixtures') })
    // A tracker URL nothing listens on: connection refused, as for a tracker that is down.
    const gone = await startOrigin({ root: SITE })
    deadTracker = `ws://127.0.0.1:${gone.port}`
    await gone.stop()
    seeder = await startSeeder({ input: SITE, announce: [deadTracker, tracker.wsUrl], name: 'site' })
    driver = await launch(name, ['one-down.test', 'all-down.test', 'dns-trouble.test', 'vanish.test', 'restart.test', 'liar.test', 'conflict.test', 'lookup-stop.test', 'no-tracker.test', 'mirrored.test', 'mirror.test'])
    expect(await driver.ask('updateSettings', { dohResolver: doh.url, iceServers: [] })).toMatchObject({ ok: true })
  })

  // Every torrent of this suite names the dead tracker first: the viewer says so, whichever test
  // its warning arrives in.
  beforeEach(() => { driver.allowWarnings(new RegExp(`^Peerback: Error connecting to ${deadTracker.replace(/[.]/g, '\\.')}$`)) })

  afterAll(async () => {
    await driver?.close()
    await Promise.all([seeder?.stop(), tracker?.stop(), doh?.stop(), dead?.stop(), mirror?.stop()])
  })

  const publish = (host: string, torrent: Uint8Array): void => {
    const records = encodeTorrentRecords(torrent)
    if (!records.ok) throw records.error
    doh.setTxt(`${sha1('/')}._torrent.${host}`, records.value)
  }

  test('the first tracker is down, the second answers: the copy comes from the peer the second one knows', async () => {
    publish('one-down.test', seeder.torrentFile)
    const tab = await driver.openCopy(`http://one-down.test:${dead.port}/`)
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
    } finally {
      await tab.close()
    }
  })

  test('every tracker is down, the mirror answers: the copy comes from the web seed', async () => {
    const torrent = await new Promise<Uint8Array>((resolve, reject) => {
      createTorrent(SITE, { name: 'site', announceList: [[deadTracker]], urlList: [`http://mirror.test:${mirror.port}/`] }, (error, made) => error ? reject(error) : resolve(new Uint8Array(made)))
    })
    publish('all-down.test', torrent)
    mirror.requests.length = 0
    const tab = await driver.openCopy(`http://all-down.test:${dead.port}/`)
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      expect(mirror.requests).toContain('/site/index.html')
    } finally {
      await tab.close()
    }
  })

  // Issue 9, mirrors: what a healthy visit said (X-Mirrored-By) joins the page's torrent as a web seed.
  test('a mirror the site named on a healthy visit serves a page torrent that no peer has: the copy comes from it, and the viewer says so', async () => {
    const torrent = await new Promise<Uint8Array>((resolve, reject) => {
      createTorrent(join(SITE, 'index.html'), { name: 'index.html', announceList: [[deadTracker]] }, (error, made) => error ? reject(error) : resolve(new Uint8Array(made)))
    })
    publish('mirrored.test', torrent)
    const ownMirror = await startOrigin({ root: SITE })
    // The mirror is on 127.0.0.1, a private host, which a public site may not name otherwise.
    expect(await driver.ask('updateSettings', { allowPrivateHosts: true })).toMatchObject({ ok: true })
    const site = await startOrigin({ root: SITE, headers: { 'X-Mirrored-By': `${ownMirror.url}/index.html` } })
    const url = `http://mirrored.test:${site.port}/`
    const tab = await driver.openCopy(url, {
      after: url,
      breakSite: async () => {
        await expect.poll(async () => (await driver.ask('cachedPointers', { url }))?.mirrors).toEqual([`${ownMirror.url}/index.html`])
        await site.setMode('down')
      }
    })
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      expect(ownMirror.requests).toContain('/index.html')
      expect(await tab.viewer.text('#source')).toMatch(/and from the site’s mirror 127\.0\.0\.1:\d+$/)
    } finally {
      await tab.close()
      await Promise.all([site.stop(), ownMirror.stop()])
      await driver.ask('updateSettings', { allowPrivateHosts: false })
    }
  })

  // A malicious owner's torrent with no tracker must not make the reader contact one (WebTorrent adds
  // public trackers only to torrents it creates): the copy comes from the web seed alone.
  test.runIf(name === 'chromium')('a torrent with no tracker: the copy comes from its web seed, and the viewer opens no WebSocket at all', async () => {
    const torrent = await new Promise<Uint8Array>((resolve, reject) => {
      createTorrent(SITE, { name: 'site', announceList: [], urlList: [`http://mirror.test:${mirror.port}/`] }, (error, made) => error ? reject(error) : resolve(new Uint8Array(made)))
    })
    publish('no-tracker.test', torrent)
    const chromium = driver.chromium as NonNullable<Driver['chromium']>
    const sockets: string[] = []
    const watch = (page: import('playwright-core').Page): void => { page.on('websocket', (socket) => sockets.push(socket.url())) }
    chromium.context.on('page', watch)
    const tab = await driver.openCopy(`http://no-tracker.test:${dead.port}/`)
    try {
      expect(await tab.copy.text('#greeting')).toBe('Hello from the origin.')
      // The whole copy came from the web seed: a tracker, had there been one, was announced to by now.
      await expect.poll(async () => (await statsOf(tab)).done).toBe('true')
      expect(sockets).toEqual([])
    } finally {
      chromium.context.off('page', watch)
      await tab.close()
    }
  })

  // The resolver fails every query one way; the reader keeps the browser's error page for the
  // failed address, the popup says what went wrong, and healthy pages load meanwhile.
  test.each([
    ['servfail', /SERVFAIL/],
    ['http-500', /answered HTTP 500/],
    ['hang', /did not answer within 3 s/]
  ] as const)('DNS trouble (%s): the error page stays, the popup says why, healthy pages still load', async (failure, why) => {
    doh.setFailure(failure)
    const tab = await driver.open(`http://dns-trouble.test:${mirror.port}/site/`)
    try {
      expect(await tab.text('#greeting')).toBe('Hello from the origin.')
      const url = `http://dns-trouble.test:${dead.port}/`
      await tab.goto(url).catch(() => {})
      await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id }), { timeout: 20_000 })
        .toMatchObject({ phase: 'no-copy', url, message: expect.stringMatching(why) })
      // Healthy browsing is not held up by the resolver: no lookup is made for a page that loads.
      await tab.goto(`http://dns-trouble.test:${mirror.port}/site/about/`)
      expect(await tab.text('h1')).toBe('About')
    } finally {
      doh.setFailure(null)
      await tab.close()
    }
  }, 40_000)

  test('DNS gives conflicting records: no guess is made, the error page stays, the popup names the conflict', async () => {
    const url = `http://conflict.test:${dead.port}/`
    doh.setTxt(`${sha1('/')}._torrent.conflict.test`, [['magnet:?xt=urn:btih:1111111111111111111111111111111111111111'], ['magnet:?xt=urn:btih:2222222222222222222222222222222222222222']])
    const tab = await driver.open(`http://conflict.test:${mirror.port}/site/`)
    try {
      await tab.goto(url).catch(() => {})
      await expect.poll(async () => await driver.ask('tabState', { tabId: tab.id }), { timeout: 20_000 })
        .toMatchObject({ phase: 'no-copy', url, message: expect.stringMatching(/name different copies; Peerback will not guess which one is right/) })
      expect(await driver.ask('tabFailure', { tabId: tab.id })).toMatchObject({ url, kind: 'connection-refused' })
    } finally {
      await tab.close()
    }
  })

  /** A post with a big file, seeded slowly on purpose: things happen to it while it downloads. */
  const slowCopy = async (heading: string, bytes: number, uploadLimit: number): Promise<{ home: string, folder: string, seeder: Seeder }> => {
    const home = await mkdtemp(join(tmpdir(), 'peerback-faults-'))
    const folder = join(home, 'post')
    await mkdir(folder)
    await writeFile(join(folder, 'index.html'), `<!doctype html><title>Post</title><h1>${heading}</h1>`)
    await writeFile(join(folder, 'data.bin'), randomBytes(bytes))
    return { home, folder, seeder: await startSeeder({ input: folder, announce: [tracker.wsUrl], pieceLength: 16 * 1024, uploadLimit }) }
  }
  /** The viewer's figures: peers, downloaded, received, uploaded, done. */
  const statsOf = async (tab: CopyTab): Promise<DOMStringMap> => await tab.viewer.evaluate(() => ({ ...document.getElementById('stats')?.dataset }))

  test('a lying peer: its pieces fail their hash, it is dropped, the viewer and popup count them, and an honest peer completes the copy', async () => {
    // The liar has the torrent and corrupts every other piece. (Two Node peers connecting to the
    // browser at the same moment do not both get through, so the honest one comes second.)
    const { home, folder, seeder: first } = await slowCopy('The honest page', 256 * 1024, 1024 * 1024)
    const liar = await startLiar(first, { announce: [tracker.wsUrl], lies: (index) => index % 2 === 0 })
    driver.allowWarnings(/^Peerback: Piece \d+ failed verification$/)
    await first.stop()
    let honest: Seeder | undefined
    publish('liar.test', liar.torrentFile)
    const tab = await driver.openCopy(`http://liar.test:${dead.port}/`, { until: 'viewer' })
    try {
      await expect.poll(async () => (await statsOf(tab)).droppedPeers, { timeout: 20_000 }).toBe('1')
      expect(Number((await statsOf(tab)).badPieces)).toBeGreaterThan(0)
      await expect.poll(() => liar.torrent.wires.length).toBe(0)
      honest = await startSeeder({ input: folder, announce: [tracker.wsUrl], pieceLength: 16 * 1024 })
      // Done means every piece matched its hash: the whole copy is the honest one.
      await expect.poll(async () => (await statsOf(tab)).done, { timeout: 30_000 }).toBe('true')
      await expect.poll(async () => await tab.copy.text('h1').catch(() => null)).toBe('The honest page')
      const stats = await statsOf(tab)
      expect(stats.droppedPeers).toBe('1')
      expect(await tab.viewer.text('#stats')).toMatch(/discarded; peers dropped: 1/)
      const popup = await driver.popupFor(await tab.tabId())
      try {
        await expect.poll(async () => await popup.text('#stat-bad-pieces')).toBe(`${stats.badPieces ?? ''} discarded; peers dropped: 1`)
      } finally {
        await popup.close()
      }
    } finally {
      await tab.close()
      await Promise.all([honest?.stop(), liar.stop()])
      await rm(home, { recursive: true, force: true })
    }
  })

  test('the only peer vanishes mid-download: the viewer says no one is sharing; a new seeder appears and the copy finishes without a reload', async () => {
    // Slow on purpose, so it can vanish halfway.
    const { home, folder, seeder: first } = await slowCopy('Still here', 384 * 1024, 32 * 1024)
    let second: Seeder | undefined
    publish('vanish.test', first.torrentFile)
    const tab = await driver.openCopy(`http://vanish.test:${dead.port}/`)
    const stats = async (): Promise<DOMStringMap> => await statsOf(tab)
    try {
      expect(await tab.copy.text('h1')).toBe('Still here')
      await expect.poll(async () => Number((await stats()).downloaded), { timeout: 10_000 }).toBeGreaterThan(32 * 1024)
      await first.stop()
      expect((await stats()).done).toBe('false')
      await expect.poll(async () => await tab.viewer.text('#notice'), { timeout: 25_000 }).toMatch(/No one is sharing this page right now/)
      const before = Number((await stats()).downloaded)
      second = await startSeeder({ input: folder, announce: [tracker.wsUrl], pieceLength: 16 * 1024 })
      await expect.poll(async () => (await stats()).done, { timeout: 30_000 }).toBe('true')
      expect(Number((await stats()).downloaded)).toBeGreaterThan(before)
      await expect.poll(async () => await tab.viewer.evaluate(() => document.getElementById('notice')?.hidden)).toBe(true)
      expect(await tab.copy.text('h1')).toBe('Still here')
    } finally {
      await tab.close()
      await Promise.all([first.stop(), second?.stop()])
      await rm(home, { recursive: true, force: true })
    }
  }, 90_000)

  // Chrome stops an idle extension worker after 30 s; here CDP stops it while the copy downloads.
  test.runIf(name === 'chromium')('the service worker stopped mid-download: the copy finishes, and the popup still tells the truth', async () => {
    const { home, seeder: slow } = await slowCopy('Survives a restart', 256 * 1024, 64 * 1024)
    publish('restart.test', slow.torrentFile)
    const chromium = driver.chromium as NonNullable<Driver['chromium']>
    const tab = await driver.openCopy(`http://restart.test:${dead.port}/`)
    const cdp = await chromium.context.newCDPSession(await chromium.context.newPage())
    try {
      const stats = async (): Promise<DOMStringMap> => await statsOf(tab)
      await expect.poll(async () => Number((await stats()).downloaded), { timeout: 10_000 }).toBeGreaterThan(0)
      const statuses: string[] = []
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const version of versions) if (version.scriptURL.startsWith(chromium.extensionOrigin)) statuses.push(version.runningStatus)
      })
      await cdp.send('ServiceWorker.enable')
      await cdp.send('ServiceWorker.stopAllWorkers')
      await expect.poll(() => statuses.includes('stopped')).toBe(true)
      expect((await stats()).done).toBe('false')

      await expect.poll(async () => (await stats()).done, { timeout: 30_000 }).toBe('true')
      const popup = await driver.popupFor(await tab.tabId())
      try {
        await expect.poll(async () => await popup.text('#status'), { timeout: 10_000 }).toMatch(/sharing it with other readers/)
        expect(await popup.text('#stat-peers')).toMatch(/^[1-9]/)
      } finally {
        await popup.close()
      }
    } finally {
      await cdp.detach().catch(() => {})
      await tab.close()
      await slow.stop()
      await rm(home, { recursive: true, force: true })
    }
  }, 90_000)

  // The lookup dies with the worker (its DNS query hangs until then); the next worker, woken here
  // by the reader opening the popup, finds the tab still looking and finishes the lookup.
  test.runIf(name === 'chromium')('the service worker stopped during the lookup: the next one finishes it, the copy shows, and the popup tells the truth', async () => {
    publish('lookup-stop.test', seeder.torrentFile)
    const chromium = driver.chromium as NonNullable<Driver['chromium']>
    const tab = await driver.open(`http://lookup-stop.test:${mirror.port}/site/`)
    const cdp = await chromium.context.newCDPSession(await chromium.context.newPage())
    try {
      const statuses: string[] = []
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const version of versions) if (version.scriptURL.startsWith(chromium.extensionOrigin)) statuses.push(version.runningStatus)
      })
      await cdp.send('ServiceWorker.enable')
      doh.setFailure('hang')
      const url = `http://lookup-stop.test:${dead.port}/`
      await tab.goto(url).catch(() => {})
      await expect.poll(async () => (await driver.ask('tabState', { tabId: tab.id }))?.phase).toBe('looking-up')
      // After the error page's own event (which would start the failover anew), within the 6 s the
      // hanging resolver holds the lookup: Chromium sends it as its error page commits.
      await tab.text('#main-frame-error')
      await cdp.send('ServiceWorker.stopAllWorkers')
      await expect.poll(() => statuses.includes('stopped')).toBe(true)
      doh.setFailure(null)
      const popup = await driver.popupFor(tab.id)
      try {
        await expect.poll(async () => await popup.text('#status'), { timeout: 20_000 }).toMatch(/Showing a copy of this page/)
      } finally {
        await popup.close()
      }
      expect(await driver.ask('tabState', { tabId: tab.id })).toMatchObject({ phase: expect.stringMatching(/^(showing|seeding)$/), url })
    } finally {
      doh.setFailure(null)
      await cdp.detach().catch(() => {})
      await tab.close()
    }
  }, 60_000)
})
