// The viewer's banner: what the reader reads above the copy (the page, where the copy came from,
// how it is doing) and the questions it asks them. Only what is shown; the viewer decides.
import type { FoundTorrent } from '../lib/discovery'
import { t, tElements } from '../lib/i18n'
import type { I18nKey } from '../lib/i18n-keys'
import type { Phase } from '../lib/tab-state'

const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement

const SOURCE_WORDS: Record<FoundTorrent['source'], I18nKey> = {
  cache: 'sourceCache',
  response: 'sourceResponse',
  'dns-page': 'sourceDnsPage',
  'dns-site': 'sourceDnsSite',
  negotiated: 'sourceNegotiated'
}

/** Where the torrent came from, and how far it can be trusted, in words. */
export function describeSource (torrent: FoundTorrent): string {
  const words = t(SOURCE_WORDS[torrent.source])
  if (torrent.authenticated) return t('sourceDnssec', words)
  if (torrent.source === 'cache' || torrent.source === 'response') return torrent.secure ? words : t('sourcePlainHttp', words)
  return words
}

export const banner = {
  status (text: string): void { $('status').textContent = text },
  phase (phase: Phase): void { $('status').dataset.state = phase },

  /** Shows the bar at a fraction from 0 to 1, or hides it (null). */
  progress (value: number | null): void {
    const bar = $('progress') as HTMLProgressElement
    bar.hidden = value === null
    if (value !== null) bar.value = value
  },
  /** Moves the bar, shown or not. */
  progressValue (value: number): void { ($('progress') as HTMLProgressElement).value = value },

  source (text: string, data: Record<string, string> = {}): void {
    $('source').textContent = text
    Object.assign($('source').dataset, data)
  },
  sourceText (): string { return $('source').textContent ?? '' },

  snapshot (text: string): void { $('snapshot').textContent = text },

  /** Who serves the copy, after its address: other readers, or the site's mirror (by name). */
  /** "Copy of <the page's link>, served by other readers", or by the site's mirror `mirror` (its host). */
  servedBy (mirror: string | null): void {
    const link = $('original-url')
    $('copy-of').replaceChildren(...mirror === null ? tElements('bannerCopyOfPeers', link) : tElements('bannerCopyOfMirror', link, mirror))
  },

  /** How old the copy is, where the reader sees it first ("Copy made 3 days ago"). */
  age (text: string): void {
    $('age').textContent = text
    $('age').hidden = false
  },

  /** The tab's title and icon: the copy's own. */
  identity (title: string, icon: string | null): void {
    document.title = title
    document.querySelector('link[rel="icon"]')?.remove()
    if (icon !== null) document.head.append(Object.assign(document.createElement('link'), { rel: 'icon', href: icon }))
  },

  /** "Copy link" copies the page's real address; the menu's "Copy magnet link", the copy's magnet once known. */
  onCopyLinks (page: () => string | null, magnet: () => string | null): void {
    const copy = (text: string | null): void => {
      if (text === null) return
      navigator.clipboard.writeText(text).then(() => { banner.status(t('linkCopied')) }, (error: unknown) => { banner.status(t('linkNotCopied', String(error))) })
    }
    $('copy-link').addEventListener('click', () => { copy(page()) })
    $('copy-magnet').addEventListener('click', () => {
      copy(magnet())
      const more = $('more') as HTMLDetailsElement
      more.open = false
    })
  },
  magnetKnown (): void { ($('copy-magnet') as HTMLButtonElement).disabled = false },

  /** The site answers again: say so, with the way to the live page. */
  siteBack (host: string, open: () => void): void {
    const notice = $('site-back')
    const live = document.createElement('button')
    live.type = 'button'
    live.textContent = t('buttonOpenLive')
    live.addEventListener('click', open)
    notice.replaceChildren(...tElements('noticeSiteBack', host, live))
    notice.hidden = false
  },

  /** The copy's figures; `data` is for tests and tools, as data-* attributes. */
  stats (text: string, data: Record<string, string | number | boolean>): void {
    $('stats').textContent = text
    Object.assign($('stats').dataset, data)
  },

  /** The page the copy shows, in the banner and the title; "Try the site again" goes there. */
  address (url: string): void {
    const link = $('original-url') as HTMLAnchorElement
    link.textContent = url
    link.href = url
    // Until a mirror is named, the copy came from other readers.
    if ($('copy-of').childNodes.length === 1) banner.servedBy(null)
    document.title = t('viewerTitle', url)
  },

  onRetrySite (retry: () => void): void {
    $('retry-site').addEventListener('click', retry)
  },

  /** Instead of the copy: why there is none, and a way back to the site. */
  error (message: string, retry: () => void): void {
    banner.status(t('viewerNoCopy'))
    banner.progress(null)
    const box = document.createElement('div')
    box.className = 'error'
    box.setAttribute('role', 'alert')
    const text = document.createElement('p')
    text.textContent = message
    const back = document.createElement('button')
    back.type = 'button'
    back.textContent = t('buttonTrySiteItself')
    back.addEventListener('click', retry)
    box.append(text, back)
    $('copy').replaceChildren(box)
  },

  /** No bytes for a while: say so, with a way to look again. Said once; hidden when bytes come. */
  noOneSharing (stalled: boolean): void {
    const notice = $('notice')
    if (stalled && notice.hidden) {
      const retry = document.createElement('button')
      retry.type = 'button'
      retry.textContent = t('buttonLookAgain')
      retry.addEventListener('click', () => { location.reload() })
      notice.replaceChildren(`${t('noticeNoOneSharing')} `, retry)
      notice.hidden = false
    } else if (!stalled) {
      notice.hidden = true
    }
  },

  /** The copy wants to go elsewhere: the reader confirms with the viewer's own button, which the copy cannot forge. */
  offerLeaving (url: string): void {
    const notice = $('leave')
    const go = document.createElement('button')
    go.type = 'button'
    go.textContent = t('buttonOpenIt')
    go.addEventListener('click', (event) => { if (event.isTrusted) location.href = url })
    const stay = document.createElement('button')
    stay.type = 'button'
    stay.textContent = t('buttonStayHere')
    stay.addEventListener('click', () => { notice.hidden = true })
    notice.replaceChildren(`${t('noticeLeaving', url)} `, go, ' ', stay)
    notice.hidden = false
  },

  /**
   * DNS named another torrent than the site's own HTTPS response did for this page: nothing is
   * fetched until the reader, warned, clicks (a real click: the copy cannot forge one).
   */
  async readerChooses (host: string, pinnedAt: number): Promise<void> {
    banner.status(t('viewerPinWait'))
    $('pin-text').textContent = t('pinWarning', host, new Date(pinnedAt).toLocaleString())
    $('pin-warning').hidden = false
    await new Promise<void>((resolve) => {
      const onClick = (event: MouseEvent): void => {
        if (!event.isTrusted) return
        $('pin-show').removeEventListener('click', onClick)
        resolve()
      }
      $('pin-show').addEventListener('click', onClick)
    })
    $('pin-warning').hidden = true
  },

  /** The element copies and files are shown in. */
  copyArea (): HTMLElement { return $('copy') }
}
