// The site's seeder yields to its readers: while another complete copy (a reader who finished, and
// keeps its tab open) is connected, the seeder serves slowly, so readers fetch from each other and
// the site's own upload stays small; alone, it serves at full speed, so no reader waits on it.

/** Upload rate while another seed is connected, bytes per second. */
export const YIELD_RATE = 32 * 1024

/** The upload rate a torrent's seeder should use: -1 (no limit) or a rate in bytes per second. */
export function yieldingRate (otherSeeds: number, limit: number | undefined): number {
  const ceiling = limit ?? -1
  if (otherSeeds === 0) return ceiling
  return ceiling === -1 ? YIELD_RATE : Math.min(ceiling, YIELD_RATE)
}
