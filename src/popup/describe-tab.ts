import type { CachedPointers } from '../background/pointer-cache'
import type { NavigationFailure } from '../lib/records'

const FAILURE_WORDS: Record<NavigationFailure['kind'], string> = {
  'connection-refused': 'the server refused the connection',
  'connection-reset': 'the connection was cut',
  dns: 'the site’s name could not be found',
  timeout: 'the server did not answer in time',
  tls: 'the secure connection failed',
  aborted: 'the load was stopped',
  other: 'the load failed'
}

/** One sentence on the tab's state, for the popup. */
export function describeTab (failure: NavigationFailure | null, pointers: CachedPointers | null): string {
  if (failure !== null) return `The last load of ${failure.url} failed: ${FAILURE_WORDS[failure.kind]} (${failure.error}).`
  if (pointers !== null) {
    const kinds = [
      pointers.torrents.length > 0 ? 'a torrent' : '',
      pointers.mirrors.length === 1 ? 'a mirror' : pointers.mirrors.length > 1 ? `${pointers.mirrors.length} mirrors` : ''
    ].filter((kind) => kind !== '').join(' and ')
    return `This site points to copies of its pages (${kinds})${pointers.secure ? '' : ', over plain HTTP'}.`
  }
  return 'Nothing to do: this page loaded normally and points to no copy.'
}
