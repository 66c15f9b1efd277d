// How many generated cases each property runs: the count below in `npm test`, ten times as many in
// `npm run fuzz` (PEERBACK_FUZZ_SCALE=10, over 100 000 cases in all). Each file says its total.
import { afterAll } from 'vitest'

const SCALE = Number(process.env.PEERBACK_FUZZ_SCALE ?? '1')
let total = 0

/** `base` cases, scaled; counted towards the file's total. */
export function runs (base: number): number {
  const scaled = Math.max(1, Math.round(base * SCALE))
  total += scaled
  return scaled
}

/** Logs the file's total once its tests are done. */
export function reportRuns (file: string): void {
  afterAll(() => { console.log(`${file}: ${total} generated cases`) })
}
