// The toolbar popup: what Peerback knows and does about the current tab, refreshed each second.
// Opened as a page with ?tab=<id>, it shows that tab (the tests and screenshots use this).
import browser from 'webextension-polyfill'
import type { CopyStats } from '../lib/copy-stats'
import { localize, t } from '../lib/i18n'
import { send } from '../lib/messages'
import type { TabState } from '../lib/tab-state'
import { viewerUrl } from '../lib/viewer-url'
import { formatBytes } from '../protocol/format'
import { describeTab } from './describe-tab'

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
  $('stat-peers').textContent = String(stats.peers)
  $('stat-down').textContent = t('statAmountAndSpeed', formatBytes(stats.downloaded), speed(stats.downloadSpeed))
  $('stat-up').textContent = t('statAmountAndSpeed', formatBytes(stats.uploaded), speed(stats.uploadSpeed))
  const ratio = stats.length > 0 ? (stats.uploaded / stats.length).toFixed(2) : '0.00'
  $('stat-ratio').textContent = stats.ratioTarget > 0 ? t('statRatioOf', ratio, stats.ratioTarget) : t('statRatioNoLimit', ratio)
  $('stat-source').textContent = stats.source
  $('bad-pieces').hidden = stats.badPieces === 0
  $('stat-bad-pieces').textContent = t('statBadPiecesValue', stats.badPieces, stats.droppedPeers)
  $('stop-seeding').hidden = !stats.uploading
}

async function refresh (tabId: number, url: string | undefined): Promise<TabState | null> {
  const [state, failure, pointers, stats] = await Promise.all([
    send('background', 'tabState', { tabId }),
    send('background', 'tabFailure', { tabId }),
    url !== undefined && /^https?:/.test(url) ? send('background', 'cachedPointers', { url }) : Promise.resolve(null),
    send('background', 'tabStats', { tabId })
  ])
  $('status').textContent = describeTab(state, failure, pointers, t)
  showStats(stats, state)
  $('open-copy').hidden = state?.phase !== 'offered'
  $('retry-site').hidden = state === null || !['showing', 'seeding', 'fetching', 'error', 'offered'].includes(state.phase)
  return state
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
  const { id: tabId } = tab
  let state = await refresh(tabId, tab.url)
  const page = (): string | undefined => state?.url ?? tab.url
  const host = (): string | null => { const url = page(); return url !== undefined && /^https?:/.test(url) ? new URL(url).hostname : null }

  const settings = await send('background', 'settings', {})
  const site = host()
  if (site !== null && !settings.offSites.includes(site)) {
    $('site-off').textContent = t('buttonSiteOff', site)
    $('site-off').hidden = false
  }
  $('site-off').addEventListener('click', () => {
    void (async () => {
      if (site === null) return
      const result = await send('background', 'turnOffSite', { site })
      $('status').textContent = result.ok ? t('siteOffDone', site) : result.message
      $('site-off').hidden = true
    })()
  })
  $('open-copy').addEventListener('click', () => {
    const url = page()
    if (url !== undefined) void browser.tabs.update(tabId, { url: viewerUrl(browser.runtime.getURL(''), url) }).then(() => { window.close() })
  })
  $('retry-site').addEventListener('click', () => {
    const url = page()
    if (url === undefined) return
    void send('background', 'retrySite', { url, tabId }).then(async () => await browser.tabs.update(tabId, { url })).then(() => { window.close() })
  })
  $('stop-seeding').addEventListener('click', () => {
    void send('viewer', 'stopSeeding', { tabId }).then(async () => { state = await refresh(tabId, tab.url) })
  })
  setInterval(() => { void refresh(tabId, tab.url).then((next) => { state = next }) }, 1000)
}

main().catch((error: unknown) => {
  $('status').textContent = `${t('popupUnreadable')} ${String(error)}`
})
