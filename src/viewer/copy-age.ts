// How old a copy is, in words a reader takes in at a glance ("3 days ago"), from when its torrent
// was made (or when the page was last modified). Pure: the clock and the locale are given.

const UNITS: Array<[unit: Intl.RelativeTimeFormatUnit, seconds: number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60]
]

/** "3 days ago", "1 hour ago"; null under a minute (or a time in the future: a clock that is off). */
export function copyAge (madeAt: number, now: number, locale?: string): string | null {
  const seconds = Math.floor((now - madeAt) / 1000)
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit)
  }
  return null
}
