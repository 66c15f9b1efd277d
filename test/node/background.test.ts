// The background's tab logic in Node, on a fake clock: slow-page races, hand-offs, failures, a
// reader who left the copy, and a worker stopped mid-way and started again.
import { describe, expect, test } from 'vitest'
import type { Background } from '../../src/background/background.ts'
import { viewerUrl } from '../../src/lib/viewer-url.ts'
import { english } from '../unit/english.ts'
import { copyOf, fakeBrowser, nothingFor, ROOT, settle } from './background-world.ts'

const TAB = 7
const PAGE = 'https://blog.example/post'
const OTHER = 'https://blog.example/other'
const viewer = (handoff = false): string => viewerUrl(ROOT, PAGE, { handoff })

/** A navigation to PAGE that has not answered past the slow threshold (5 s by default). */
async function slowPast (browser: ReturnType<typeof fakeBrowser>) {
  const background = browser.start()
  await background.navigationStarted(TAB, PAGE)
  browser.clock.advance(5_000)
  await settle()
  return { browser, background }
}

describe('a page that is slow, then fails', () => {
  test('the copy raced in the prefetch host is handed to the viewer when the page fails', async () => {
    const { browser, background } = await slowPast(fakeBrowser())
    expect(browser.told).toMatchObject([{ type: 'start', tabId: TAB, url: PAGE }])
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'fetching', url: PAGE })

    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'net::ERR_CONNECTION_REFUSED', browser.clock.now())
    expect(browser.viewerOpened).toEqual([{ tabId: TAB, url: viewer(true) }])
  })

  test('the prefetch host\'s ready copy wins the tab once; a failure after that opens nothing more', async () => {
    const { browser, background } = await slowPast(fakeBrowser())
    expect(await background.stall.copyReady(TAB, PAGE)).toBe(true)
    expect(await background.stall.copyReady(TAB, PAGE)).toBe(false)
    await background.failover.navigationFailed(TAB, PAGE, 'timeout', 'net::ERR_TIMED_OUT', browser.clock.now())
    expect(browser.viewerOpened).toEqual([{ tabId: TAB, url: viewer(true) }])
  })

  test('a host that could not fetch the copy leaves the page loading, and says why', async () => {
    const { browser, background } = await slowPast(fakeBrowser())
    expect(await background.stall.copyEnded(TAB, PAGE, 'no peers')).toBe(true)
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'watching', message: english('stateSlowNoCopy', 'no peers') })
    expect(browser.hostOpen()).toBe(false)
  })

  test('a page that answers before the threshold costs no storage beyond the tab\'s state', async () => {
    const browser = fakeBrowser()
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    await background.stall.pageAnswered(TAB, PAGE)
    await background.states.committed(TAB, PAGE)
    await background.stall.pageAnswered(TAB, PAGE) // its commit
    await background.navigationStarted(TAB, OTHER)
    await background.stall.pageAnswered(TAB, OTHER)
    expect([...browser.session.data.keys()]).toEqual([`tab-state:${TAB}`])
    browser.clock.advance(5_000)
    await settle()
    expect(browser.lookups).toEqual([])
  })

  test('a page that answers before the threshold is never looked up', async () => {
    const browser = fakeBrowser()
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    await background.stall.pageAnswered(TAB, PAGE)
    browser.clock.advance(5_000)
    await settle()
    expect(browser.lookups).toEqual([])
    expect(browser.told).toEqual([])
  })
})

describe('failures', () => {
  test('two failures of one navigation (the request\'s, then the navigation\'s) look up and open the copy once', async () => {
    const browser = fakeBrowser()
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    const at = browser.clock.now()
    await Promise.all([
      background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'net::ERR_CONNECTION_REFUSED', at),
      background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'net::ERR_CONNECTION_REFUSED', at + 170)
    ])
    expect(browser.lookups).toHaveLength(1)
    expect(browser.viewerOpened).toEqual([{ tabId: TAB, url: viewer() }])
  })

  test('a navigation\'s start that arrives after its own failure was handled does not undo the failover (Firefox can order them so)', async () => {
    const browser = fakeBrowser()
    const background = browser.start()
    await background.navigationStarted(TAB, 'https://blog.example/before') // the page the reader was on
    await background.stall.pageAnswered(TAB, 'https://blog.example/before')
    browser.clock.advance(10_000)
    const startedAt = browser.clock.now()
    browser.clock.advance(30)
    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'e', browser.clock.now())
    await background.navigationStarted(TAB, PAGE, startedAt)
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'fetching', url: PAGE })
    expect(browser.viewerOpened).toEqual([{ tabId: TAB, url: viewer() }])
    // A later start of the same page (a reload) is a new navigation: watched afresh.
    browser.clock.advance(5_000)
    await background.navigationStarted(TAB, PAGE, browser.clock.now())
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'watching', url: PAGE })
  })

  test('a start stamped after the request\'s error and delivered after both errors does not undo the failover (Firefox)', async () => {
    const browser = fakeBrowser()
    const background = browser.start()
    const errorAt = browser.clock.now()
    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'e', errorAt)
    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'e', errorAt + 40)
    await background.navigationStarted(TAB, PAGE, errorAt + 10)
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'fetching', url: PAGE })
    expect(browser.viewerOpened).toEqual([{ tabId: TAB, url: viewer() }])
  })

  test('a page the site refuses (404) says so in the popup, whatever order its start (twice, in Firefox) and answer come in', async () => {
    const browser = fakeBrowser()
    const background = browser.start()
    background.responded(TAB, PAGE, 404)
    await background.navigationStarted(TAB, PAGE)
    await background.navigationStarted(TAB, PAGE) // Firefox's second start of the same navigation
    expect(await background.tabState(TAB)).toMatchObject({ phase: 'watching', url: PAGE, message: english('stateSiteAnswered', '404') })
    // Another page, or the same one answering at last, is watched without it.
    await background.navigationStarted(TAB, OTHER)
    expect(await background.tabState(TAB)).toEqual(expect.not.objectContaining({ message: expect.anything() }))
    await background.navigationStarted(TAB, PAGE)
    background.responded(TAB, PAGE, 200)
    expect(await background.tabState(TAB)).toEqual(expect.not.objectContaining({ message: expect.anything() }))
  })

  test('the failure of a page the reader has already left, handled late, leaves the new page\'s state alone', async () => {
    const browser = fakeBrowser()
    browser.answerWith(async (url) => nothingFor(url))
    const background = browser.start()
    const next = 'https://blog.example/next'
    await background.navigationStarted(TAB, PAGE)
    browser.clock.advance(1_000)
    await background.navigationStarted(TAB, next) // the reader went on first; PAGE's failure comes after
    await background.failover.navigationFailed(TAB, PAGE, 'connection-reset', 'e', browser.clock.now())
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'watching', url: next })
    expect(browser.viewerOpened).toEqual([])
  })

  test('a page with no copy stays the browser\'s error page, and the popup says why', async () => {
    const browser = fakeBrowser()
    browser.answerWith(async (url) => nothingFor(url))
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    await background.failover.navigationFailed(TAB, PAGE, 'dns', 'net::ERR_NAME_NOT_RESOLVED', browser.clock.now())
    expect(browser.viewerOpened).toEqual([])
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'no-copy', message: english('noCopyPublished') })
    expect(browser.archiveAsked).toEqual([]) // not without the reader's word
  })

  test('with archived copies looked for automatically, a page with no copy goes to its snapshot; without a snapshot, the popup says so', async () => {
    const SNAPSHOT = 'https://web.archive.example/web/20261201000000/https://site.example/post'
    const browser = fakeBrowser({ archiveAuto: true })
    browser.answerWith(async (url) => nothingFor(url))
    browser.archiveAnswers(async () => ({ kind: 'found', url: SNAPSHOT, takenAt: null }))
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    await background.failover.navigationFailed(TAB, PAGE, 'dns', 'net::ERR_NAME_NOT_RESOLVED', browser.clock.now())
    expect(browser.navigated).toEqual([{ tabId: TAB, url: SNAPSHOT }])

    browser.archiveAnswers(async () => ({ kind: 'none' }))
    await background.navigationStarted(TAB, OTHER)
    await background.failover.navigationFailed(TAB, OTHER, 'dns', 'net::ERR_NAME_NOT_RESOLVED', browser.clock.now())
    expect(browser.navigated).toHaveLength(1)
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'no-copy', message: english('noCopyNoArchive', english('noCopyPublished')) })
  })

  test('an archived snapshot that arrives after the reader went on to another page does not take the tab', async () => {
    const browser = fakeBrowser({ archiveAuto: true })
    browser.answerWith(async (url) => nothingFor(url))
    const background = browser.start()
    browser.archiveAnswers(async () => {
      await background.navigationStarted(TAB, OTHER)
      return { kind: 'found', url: 'https://web.archive.example/web/2026/https://site.example/post', takenAt: null }
    })
    await background.navigationStarted(TAB, PAGE)
    await background.failover.navigationFailed(TAB, PAGE, 'dns', 'net::ERR_NAME_NOT_RESOLVED', browser.clock.now())
    expect(browser.archiveAsked).toEqual([PAGE])
    expect(browser.navigated).toEqual([])
  })

  /** The tab navigates to PAGE, which fails, and its error page commits. */
  const failsAgain = async (background: Background, browser: ReturnType<typeof fakeBrowser>): Promise<void> => {
    await background.navigationStarted(TAB, PAGE)
    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'e', browser.clock.now())
    await background.errorPageShown(TAB, PAGE)
  }

  test('a reader who went back from the copy to the failing page goes on to the page before, and is not sent into the copy again', async () => {
    const browser = fakeBrowser()
    browser.hasHistory(TAB)
    const background = browser.start()
    await failsAgain(background, browser)
    expect(browser.wentBack).toEqual([]) // the first failure is not left: its copy opens
    await background.states.move(TAB, 'showing', PAGE)
    browser.clock.advance(10_000)

    await failsAgain(background, browser) // "back" (Chrome), or the address typed again
    expect(browser.viewerOpened).toHaveLength(1)
    expect(browser.wentBack).toEqual([TAB])

    // The viewer's "try the site" is not leaving: the copy opens again if the site still fails.
    await background.states.move(TAB, 'showing', PAGE)
    await background.left.retryAsked(TAB, PAGE)
    browser.clock.advance(10_000)
    await failsAgain(background, browser)
    expect(browser.viewerOpened).toHaveLength(2)
    expect(browser.wentBack).toEqual([TAB])
  })

  test('with nothing behind the failing page the reader left the copy for, the popup offers the copy', async () => {
    const browser = fakeBrowser()
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'e', browser.clock.now())
    await background.states.move(TAB, 'showing', PAGE)
    browser.clock.advance(300)
    await failsAgain(background, browser)
    expect(browser.viewerOpened).toHaveLength(1)
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'offered', message: english('stateLeftCopy') })
  })

  test('where the viewer takes the failed page’s place (Firefox), the address typed again over a copy opens it again there', async () => {
    const browser = fakeBrowser({}, { viewerTakesFailedEntry: true })
    browser.hasHistory(TAB)
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'e', browser.clock.now())
    await background.states.move(TAB, 'showing', PAGE)
    browser.clock.advance(300)
    await failsAgain(background, browser)
    expect(browser.viewerOpened).toHaveLength(2)
    expect(browser.wentBack).toEqual([])
  })

  test('going forward again to a failed page whose copy the reader had open reopens the copy', async () => {
    const browser = fakeBrowser()
    browser.hasHistory(TAB)
    const background = browser.start()
    await background.navigationStarted(TAB, PAGE)
    await background.failover.navigationFailed(TAB, PAGE, 'connection-refused', 'e', browser.clock.now())
    await background.states.move(TAB, 'showing', PAGE)
    browser.clock.advance(300)
    await failsAgain(background, browser) // back from the copy…
    browser.clock.advance(300)
    await background.navigationStarted(TAB, OTHER) // …on to the page before…
    browser.clock.advance(300)
    await failsAgain(background, browser) // …and forward, all within a second
    expect(browser.viewerOpened).toHaveLength(2)
    expect(browser.wentBack).toEqual([TAB])
  })

})

describe('a worker that stops', () => {
  test('a lookup cut off by a stopped worker is finished by the next one, for the same trigger', async () => {
    // Only a 502 is an outage here: a resume that forgot the trigger (and assumed a 503) would do nothing.
    const browser = fakeBrowser({ failoverStatuses: [502] })
    browser.answerWith(async () => await new Promise(() => {})) // the first worker never hears back
    const first = browser.start()
    await first.navigationStarted(TAB, PAGE)
    void first.failover.failingResponse(TAB, PAGE, 502, [], false)
    await settle()
    expect(await first.states.state(TAB)).toMatchObject({ phase: 'looking-up', trigger: { kind: 'status', status: 502 } })

    browser.clock.stopTimers()
    browser.showing(TAB, PAGE)
    browser.answerWith(async (url) => copyOf(url))
    const second = browser.start()
    await second.failover.resumeInterrupted()
    expect(browser.viewerOpened).toEqual([{ tabId: TAB, url: viewer() }])
  })

  test('a lookup cut off in a tab that has moved on is left alone', async () => {
    const browser = fakeBrowser()
    browser.answerWith(async () => await new Promise(() => {}))
    const first = browser.start()
    await first.navigationStarted(TAB, PAGE)
    void first.failover.navigationFailed(TAB, PAGE, 'dns', 'e', browser.clock.now())
    await settle()
    browser.showing(TAB, 'https://elsewhere.example/')
    browser.answerWith(async (url) => copyOf(url))
    await browser.start().failover.resumeInterrupted()
    expect(browser.viewerOpened).toEqual([])
  })

  test('a slow threshold of 30 s or more is an alarm: the page is raced even though the worker stopped before it', async () => {
    const browser = fakeBrowser({ slowThresholdSeconds: 40 })
    const first = browser.start()
    await first.navigationStarted(TAB, PAGE)
    expect(browser.clock.alarms.has(`stall:${TAB}`)).toBe(true)
    browser.clock.stopTimers()

    expect(browser.clock.advance(39_000)).toEqual([])
    const due = browser.clock.advance(1_000)
    expect(due).toEqual([`stall:${TAB}`])
    const second = browser.start()
    await second.onAlarm(`stall:${TAB}`)
    expect(browser.told).toMatchObject([{ type: 'start', tabId: TAB, url: PAGE }])
    expect(await second.states.state(TAB)).toMatchObject({ phase: 'fetching', message: english('stateSlowFetching') })
    // Once: a second alarm of the same watch finds it taken.
    await second.onAlarm(`stall:${TAB}`)
    expect(browser.lookups).toHaveLength(1)
  })

  test('a slow page looks up nothing in DNS unless the reader opted into pre-warming', async () => {
    const browser = fakeBrowser()
    browser.answerWith(async (url) => nothingFor(url))
    const { background } = await slowPast(browser)
    expect(browser.lookups).toEqual([{ url: PAGE, lookupDns: false }])
    expect(await background.states.state(TAB)).toMatchObject({ phase: 'watching', message: english('stateSlowNotLookedUp') })
  })

  test('a closed tab leaves nothing behind in storage.session', async () => {
    const { browser, background } = await slowPast(fakeBrowser())
    await background.tabClosed(TAB)
    expect([...browser.session.data.keys()]).toEqual([])
    expect(browser.hostOpen()).toBe(false)
  })
})
