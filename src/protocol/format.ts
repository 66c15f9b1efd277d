// Small helpers shared by every context and the publisher. Pure.

/** A size as a reader reads it: 512 bytes, 1.5 KiB, 3 MiB. */
export function formatBytes (bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`
}

/** A URL without its #fragment: the page a fragment points into. */
export function withoutFragment (url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}
