// Small helpers shared by every context and the publisher. Pure.

const BINARY_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const

/**
 * A size as a reader reads it, in the reader's way of writing numbers: 512 bytes, 1.5 KiB, 3 MiB
 * (German: 1,5 KiB). A speed or an average is rounded to whole bytes first. `locale`: the UI's;
 * default the runtime's own.
 */
export function formatBytes (bytes: number, locale?: string): string {
  const whole = Math.round(bytes)
  if (whole < 1024) return `${formatNumber(whole, locale)} ${whole === 1 ? 'byte' : 'bytes'}`
  let value = whole / 1024
  let unit = 0
  // 1023.96 KiB would print as "1,024 KiB": the next unit reads better.
  while (value >= 1023.95 && unit < BINARY_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${formatNumber(value, locale, 1)} ${BINARY_UNITS[unit]}`
}

/** A number, grouped and with at most `fractionDigits` decimals, as the locale writes it. */
export function formatNumber (value: number, locale?: string, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value)
}

/** A number with exactly `fractionDigits` decimals (a ratio: 0.50), as the locale writes it. */
export function formatFixed (value: number, fractionDigits: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value)
}

/** A duration: 850 ms, 1.5 s, 2 min 5 s. */
export function formatDuration (ms: number, locale?: string): string {
  if (ms < 1000) return `${formatNumber(ms, locale)} ms`
  if (ms < 60_000) return `${formatNumber(ms / 1000, locale, 1)} s`
  const seconds = Math.round(ms / 1000)
  return `${formatNumber(Math.floor(seconds / 60), locale)} min ${formatNumber(seconds % 60, locale)} s`
}

/** A URL without its #fragment: the page a fragment points into. */
export function withoutFragment (url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}
