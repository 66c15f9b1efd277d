import type { CachedPointers } from '../background/pointer-cache'
import type { NavigationFailure } from '../lib/records'
import type { Phase, TabState } from '../lib/tab-state'

const FAILURE_WORDS: Record<NavigationFailure['kind'], string> = {
  'connection-refused': 'the server refused the connection',
  'connection-reset': 'the connection was cut',
  dns: 'the site’s name could not be found',
  timeout: 'the server did not answer in time',
  tls: 'the secure connection failed',
  aborted: 'the load was stopped',
  other: 'the load failed'
}

const PHASE_WORDS: Partial<Record<Phase, string>> = {
  'looking-up': 'The page failed; looking for a copy shared by other readers…',
  offered: 'A copy of this page from other readers is ready to open.',
  fetching: 'Fetching a copy of this page from other readers…',
  showing: 'Showing a copy of this page served by other readers.',
  seeding: 'Showing a copy of this page, and sharing it with other readers while the tab is open.'
}

/** One sentence on the tab's state, for the popup. */
export function describeTab (state: TabState | null, failure: NavigationFailure | null, pointers: CachedPointers | null): string {
  const words = state === null ? undefined : PHASE_WORDS[state.phase]
  if (state?.message !== undefined && (state.phase === 'no-copy' || state.phase === 'error' || state.phase === 'offered')) return state.message
  if (words !== undefined) return words
  if (failure !== null && failure.url === state?.url) return `The last load of ${failure.url} failed: ${FAILURE_WORDS[failure.kind]} (${failure.error}).`
  if (pointers !== null) {
    const kinds = [
      pointers.torrents.length > 0 ? 'a torrent' : '',
      pointers.mirrors.length === 1 ? 'a mirror' : pointers.mirrors.length > 1 ? `${pointers.mirrors.length} mirrors` : ''
    ].filter((kind) => kind !== '').join(' and ')
    return `This site points to copies of its pages (${kinds})${pointers.secure ? '' : ', over plain HTTP'}.`
  }
  return 'Nothing to do: this page loaded normally and points to no copy.'
}
