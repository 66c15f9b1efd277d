import type { CachedPointers } from '../lib/discovery'
import type { I18nKey, Translate } from '../lib/i18n-keys'
import type { NavigationFailure } from '../lib/records'
import type { Phase, TabState } from '../lib/tab-state'

const FAILURE_WORDS: Record<NavigationFailure['kind'], I18nKey> = {
  'connection-refused': 'failureConnectionRefused',
  'connection-reset': 'failureConnectionReset',
  dns: 'failureDns',
  timeout: 'failureTimeout',
  tls: 'failureTls',
  aborted: 'failureAborted',
  other: 'failureOther'
}

const PHASE_WORDS: Partial<Record<Phase, I18nKey>> = {
  'looking-up': 'phaseLookingUp',
  offered: 'phaseOffered',
  fetching: 'phaseFetching',
  showing: 'phaseShowing',
  seeding: 'phaseSeeding',
  error: 'phaseError'
}

/** Phases whose own message (why, in words) says more than the phase's name. */
const SAYS_WHY: Phase[] = ['no-copy', 'error', 'offered', 'fetching']

/** Phases of a copy the reader has open: said even where Peerback is now off. */
const COPY_OPEN: Phase[] = ['fetching', 'showing', 'seeding']

/** Why Peerback does nothing for the tab's page: paused everywhere, or off for its site (its host). */
export type Off = { reason: 'paused' } | { reason: 'site', host: string } | null

/** One sentence on the tab's state, for the popup. */
export function describeTab (state: TabState | null, failure: NavigationFailure | null, pointers: CachedPointers | null, t: Translate, off: Off = null): string {
  const copyOpen = state !== null && COPY_OPEN.includes(state.phase)
  if (off !== null && !copyOpen) return off.reason === 'paused' ? t('popupPaused') : t('popupSiteOff', off.host)
  if (state?.message !== undefined && SAYS_WHY.includes(state.phase)) return state.message
  const words = state === null ? undefined : PHASE_WORDS[state.phase]
  if (words !== undefined) return t(words)
  if (failure !== null && failure.url === state?.url) return t('lastLoadFailed', failure.url, t(FAILURE_WORDS[failure.kind]), failure.error)
  if (pointers !== null) {
    const kinds = [
      pointers.torrents.length > 0 ? t('kindTorrent') : '',
      pointers.mirrors.length === 1 ? t('kindMirror') : pointers.mirrors.length > 1 ? t('kindMirrors', pointers.mirrors.length) : ''
    ].filter((kind) => kind !== '')
    const list = kinds.length === 2 ? t('joinAnd', kinds[0] ?? '', kinds[1] ?? '') : kinds[0] ?? ''
    return t(pointers.secure ? 'pointsToCopies' : 'pointsToCopiesPlain', list)
  }
  return t('nothingToDo')
}
