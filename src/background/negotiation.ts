// Content negotiation (opt-in, docs/protocol.md): while the setting is on, main-frame requests say
// `Accept-Encoding: …, torrent`, and a site under load may answer a navigation with its torrent
// (`Content-Type: application/x-bittorrent`). That answer opens in the viewer instead of being
// saved: the browser's download of it is cancelled and erased, and the viewer fetches the torrent
// once more (an extension cannot read a navigation's body), with the same header.
import browser from 'webextension-polyfill'
import type { RawHeader } from '../protocol/pointer-headers'

/** Our dynamic rule (main frames, while the setting is on) and the session rules of re-fetches. */
const MAIN_FRAME_RULE = 1
const REFETCH_RULES = 1000
const REFETCH_RULES_KEPT = 20
const TORRENT_TYPE = /^\s*application\/x-bittorrent\s*(;|$)/i
/** A negotiated answer's download is cancelled if it starts within this long. */
const DOWNLOAD_WINDOW_MS = 30_000

/**
 * While the setting is on, `torrent` is appended to whatever the browser itself says (`gzip,
 * deflate` on plain http, more over https): the browser's own list is never replaced.
 */
const HEADER = { header: 'accept-encoding', operation: 'append', value: 'torrent' } as const

/** Installs the main-frame rule while `on`, removes it otherwise: nothing is left when off. Off-sites are left out. */
export async function applyNegotiation (on: boolean, offSites: readonly string[] = []): Promise<void> {
  // Rule domains are names or IPv4 addresses: an off-site typed as an IPv6 address cannot be left out.
  const excluded = offSites.filter((site) => !site.startsWith('['))
  const condition = { resourceTypes: ['main_frame'], ...(excluded.length > 0 && { excludedRequestDomains: excluded }) } as browser.DeclarativeNetRequest.RuleConditionType
  const rules: browser.DeclarativeNetRequest.Rule[] = on
    ? [{ id: MAIN_FRAME_RULE, priority: 1, action: { type: 'modifyHeaders', requestHeaders: [HEADER] }, condition }]
    : []
  await browser.declarativeNetRequest.updateDynamicRules({ removeRuleIds: [MAIN_FRAME_RULE], addRules: rules })
}

let refetches = 0

/**
 * The viewer's one re-fetch of a negotiated URL says `torrent` too: a session rule for that exact
 * URL, from the extension only (the last few are kept; none outlives the browser session).
 */
async function allowRefetch (url: string): Promise<void> {
  const id = REFETCH_RULES + (refetches++ % REFETCH_RULES_KEPT)
  const condition = { urlFilter: `|${url}|`, resourceTypes: ['xmlhttprequest'], initiatorDomains: [new URL(browser.runtime.getURL('')).host] }
  await browser.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [id],
    addRules: [{ id, priority: 1, action: { type: 'modifyHeaders', requestHeaders: [HEADER] }, condition } as browser.DeclarativeNetRequest.Rule]
  })
}

export function isTorrentAnswer (statusCode: number, headers: RawHeader[]): boolean {
  return statusCode === 200 && headers.some(({ name, value }) => name.toLowerCase() === 'content-type' && TORRENT_TYPE.test(value ?? ''))
}

const negotiated = new Map<string, number>()

/** `url` answered with a torrent: the browser's download of it is to be dropped, the viewer's re-fetch allowed. */
export async function negotiatedAnswer (url: string): Promise<void> {
  const now = Date.now()
  for (const [known, at] of negotiated) if (now - at > DOWNLOAD_WINDOW_MS) negotiated.delete(known)
  negotiated.set(url, now)
  await allowRefetch(url)
}

/** The browser started saving a negotiated torrent: cancel it and erase it from the downloads list. */
export async function dropNegotiatedDownload (item: browser.Downloads.DownloadItem): Promise<void> {
  const urls = [item.url, (item as { finalUrl?: string }).finalUrl]
  const answeredAt = (): number | undefined => urls.map((url) => negotiated.get(url ?? '')).find((at) => at !== undefined)
  // Firefox may start the download before the answer's headers have been handled here.
  if (answeredAt() === undefined && TORRENT_TYPE.test(item.mime ?? '')) await new Promise((resolve) => setTimeout(resolve, 1000))
  const at = answeredAt()
  if (at === undefined || Date.now() - at > DOWNLOAD_WINDOW_MS) return
  await browser.downloads.cancel(item.id).catch(() => {})
  await browser.downloads.erase({ id: item.id })
}
