// The toolbar popup: what Peerback knows and does about the current tab, refreshed each second.
// Opened as a page with ?tab=<id>, it shows that tab (the tests and screenshots use this).
import browser from 'webextension-polyfill'
import type { CopyStats } from '../lib/copy-stats'
import { describeSharing } from '../lib/kept'
import { localize, t } from '../lib/i18n'
import { offReason } from '../lib/off-reason'
import { send } from '../lib/messages'
import type { TabState } from '../lib/tab-state'
import { formatBytes, formatFixed, formatNumber } from '../protocol/format'
import type { Settings } from '../lib/settings'
import type { SaveResult } from '../lib/settings-store'
import { describeTab, type Off } from './describe-tab'

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T

async function targetTab (): Promise<{ id: number, url: string | undefined } | null> {
  const asked = Number(new URLSearchParams(location.search).get('tab'))
  if (Number.isInteger(asked) && asked > 0) return { id: asked, url: (await browser.tabs.get(asked)).url }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true })
  return tab?.id === undefined ? null : { id: tab.id, url: tab.url }
}

const speed = (bytesPerSecond: number): string => t('perSecond', formatBytes(Math.round(bytesPerSecond)))

function showStats (stats: CopyStats | null, state: TabState | null): void {
  const live = stats !== null && state !== null && ['fetching', 'showing', 'seeding'].includes(state.phase)
  $('stats').hidden = !live
  $<HTMLProgressElement>('progress').hidden = !(live && stats.progress < 1)
  if (!live || stats === null) return
  $<HTMLProgressElement>('progress').value = stats.progress
  $('stat-peers').textContent = formatNumber(stats.peers)
  $('stat-down').textContent = t('statAmountAndSpeed', formatBytes(stats.downloaded), speed(stats.downloadSpeed))
  $('stat-up').textContent = t('statAmountAndSpeed', formatBytes(stats.uploaded), speed(stats.uploadSpeed))
  const ratio = formatFixed(stats.length > 0 ? stats.uploaded / stats.length : 0, 2)
  $('stat-ratio').textContent = stats.ratioTarget > 0 ? t('statRatioOf', ratio, stats.ratioTarget) : t('statRatioNoLimit', ratio)
  $('stat-source').textContent = stats.source
  $('bad-pieces').hidden = stats.badPieces === 0
  $('stat-bad-pieces').textContent = t('statBadPiecesValue', stats.badPieces, stats.droppedPeers)
  $('stop-seeding').hidden = !stats.uploading
}

/** The page the tab is about (the one that failed, when the tab shows its copy) and its host. */
interface Target { tabId: number, page: () => string | undefined }

const hostOf = (url: string | undefined): string | null => url !== undefined && /^https?:/.test(url) ? new URL(url).hostname : null

let settings: Settings | null = null

function offFor (page: string | undefined): Off {
  if (settings === null) return null
  const reason = offReason(page, settings)
  const host = hostOf(page)
  return reason === 'paused' ? { reason } : reason === 'site' && host !== null ? { reason, host } : null
}

/** The buttons that steer Peerback: its switch for the site (both ways), and pausing it everywhere. */
function showSwitches (page: string | undefined): void {
  const host = hostOf(page)
  const siteOff = host !== null && settings !== null && offReason(page, { ...settings, paused: false }) === 'site'
  $('site-off').hidden = host === null || siteOff
  $('site-on').hidden = host === null || !siteOff
  if (host !== null) {
    $('site-off').textContent = t('buttonSiteOff', host)
    $('site-on').textContent = t('buttonSiteOn', host)
  }
  $('pause').hidden = settings?.paused !== false
  $('resume').hidden = settings?.paused !== true
}

async function refresh ({ tabId, page }: Target, tabUrl: string | undefined): Promise<TabState | null> {
  const shownPage = page()
  const [state, failure, pointers, stats, sharing] = await Promise.all([
    send('background', 'tabState', { tabId }),
    send('background', 'tabFailure', { tabId }),
    hostOf(tabUrl) !== null && tabUrl !== undefined ? send('background', 'cachedPointers', { url: tabUrl }) : Promise.resolve(null),
    send('background', 'tabStats', { tabId }),
    // The page the tab is about: the one its copy is of, once the tab's state says so.
    shownPage !== undefined && hostOf(shownPage) !== null ? send('background', 'sharing', { page: shownPage }) : send('background', 'sharing', {})
  ])
  // What the reader keeps sharing, whatever the tab: the pages, sites, today's upload, readers connected.
  const sharingLines = describeSharing(sharing, t, navigator.language)
  $('sharing').textContent = sharingLines.join(' ')
  $('sharing').hidden = sharingLines.length === 0
  $('stop-sharing').hidden = sharing.pages === 0
  const url = state?.url ?? tabUrl
  const off = offFor(url)
  $('status').textContent = describeTab(state, failure, pointers, t, off)
  // The state's mark beside the words, as on the badge.
  const mark = off !== null && !(state !== null && ['fetching', 'showing', 'seeding'].includes(state.phase)) ? 'off' : state?.phase
  if (mark === undefined || mark === 'watching') delete $('status').dataset.state
  else $('status').dataset.state = mark
  showStats(stats, state)
  const phase = state?.phase ?? null
  const copyOpen = phase === 'fetching' || phase === 'showing' || phase === 'seeding' || phase === 'looking-up'
  // Offered after a failure, or on purpose whenever the page is known to have a copy.
  $('open-copy').hidden = off !== null || !(phase === 'offered' || (pointers !== null && !copyOpen))
  const failedHere = failure !== null && failure.url === url && (phase === null || phase === 'watching')
  $('open-archived').hidden = hostOf(url) === null || !(phase === 'no-copy' || failedHere)
  // The one thing to do next stands out.
  $('open-copy').classList.toggle('primary', !$('open-copy').hidden)
  $('open-archived').classList.toggle('primary', !$('open-archived').hidden)
  $('retry-site').hidden = state === null || !['showing', 'seeding', 'fetching', 'error', 'offered'].includes(state.phase)
  showSwitches(page())
  return state
}

/** Says the outcome of a button the reader pressed, once, in its own live region. */
function say (text: string): void {
  $('note').textContent = text
  $('note').hidden = false
}

function wire (target: Target, update: () => Promise<void>): void {
  const { tabId, page } = target
  const saved = async (result: SaveResult, done: string): Promise<void> => {
    if (result.ok) settings = result.settings
    say(result.ok ? done : result.message)
    await update()
  }
  $('site-off').addEventListener('click', () => {
    const host = hostOf(page())
    if (host !== null) void send('background', 'turnOffSite', { site: host }).then(async (result) => { await saved(result, t('siteOffDone', host)) })
  })
  $('site-on').addEventListener('click', () => {
    const host = hostOf(page())
    if (host !== null) void send('background', 'turnOnSite', { site: host }).then(async (result) => { await saved(result, t('siteOnDone', host)) })
  })
  $('pause').addEventListener('click', () => { void send('background', 'updateSettings', { paused: true }).then(async (result) => { await saved(result, t('popupPaused')) }) })
  $('resume').addEventListener('click', () => { void send('background', 'updateSettings', { paused: false }).then(async (result) => { await saved(result, t('resumed')) }) })
  $('open-copy').addEventListener('click', () => {
    const url = page()
    if (url !== undefined) void send('background', 'openCopy', { tabId, url }).then(() => { window.close() })
  })
  $('open-archived').addEventListener('click', () => {
    const url = page()
    if (url === undefined) return
    say(t('archiveAsking'))
    void send('background', 'openArchived', { tabId, url }).then((answer) => {
      if (answer.kind === 'found') window.close()
      else say(answer.kind === 'none' ? t('archiveNone') : t('archiveUnreachable', answer.why))
    })
  })
  $('retry-site').addEventListener('click', () => {
    const url = page()
    if (url === undefined) return
    void send('background', 'retrySite', { url, tabId }).then(async () => await browser.tabs.update(tabId, { url })).then(() => { window.close() })
  })
  $('stop-seeding').addEventListener('click', () => {
    void send('viewer', 'stopSeeding', { tabId }).then(update)
  })
  $('stop-sharing').addEventListener('click', () => {
    void send('background', 'stopSharing', {}).then(async () => {
      say(t('sharingStopped'))
      await update()
    })
  })
}

async function main (): Promise<void> {
  localize(document)
  $('options').addEventListener('click', (event) => {
    event.preventDefault()
    void browser.runtime.openOptionsPage()
  })
  const tab = await targetTab()
  if (tab === null) {
    $('status').textContent = t('popupNothing')
    return
  }
  settings = await send('background', 'settings', {})
  let state: TabState | null = null
  const target: Target = { tabId: tab.id, page: () => state?.url ?? tab.url }
  const update = async (): Promise<void> => { state = await refresh(target, tab.url) }
  await update()
  wire(target, update)
  setInterval(() => { void update() }, 1000)
}

main().catch((error: unknown) => {
  $('status').textContent = `${t('popupUnreadable')} ${String(error)}`
})
