import { describe, expect, test } from 'vitest'
import { DEFAULT_SETTINGS } from '../../src/lib/settings.ts'
import { ASK_AGAIN_AFTER_MS, ASK_AGAIN_AT_MOST_MS, NO_BYTES_AFTER_MS, seedingPolicy, type Sample } from '../../src/viewer/seeding-policy.ts'

const settings = { ...DEFAULT_SETTINGS, ratioTarget: 2 }
const MB = 1_000_000

/** Runs the policy once a second from t=0 with the figures `at(second)` gives; returns every decision. */
function run (seconds: number, at: (second: number) => Omit<Sample, 'now'>, options = settings) {
  const policy = seedingPolicy(0)
  return Array.from({ length: seconds }, (_, index) => policy.tick({ now: (index + 1) * 1000, ...at(index + 1) }, options))
}

describe('ratio and settings', () => {
  test('uploading stops once the copy has been uploaded ratioTarget times, not before', () => {
    const decisions = run(4, (s) => ({ downloaded: MB, uploaded: s * 0.6 * MB, length: MB, done: true }))
    expect(decisions.map((decision) => decision.stopUploading)).toEqual([false, false, false, true])
    expect(decisions[3]?.ratio).toBeCloseTo(2.4)
  })

  test('a ratio target of 0 means no limit', () => {
    const [decision] = run(1, () => ({ downloaded: MB, uploaded: 50 * MB, length: MB, done: true }), { ...settings, ratioTarget: 0 })
    expect(decision?.stopUploading).toBe(false)
  })

  test('sharing turned off stops uploading at once', () => {
    const figures = (): Omit<Sample, 'now'> => ({ downloaded: 0, uploaded: 0, length: MB, done: false })
    expect(run(1, figures, { ...settings, shareWhileReading: false })[0]?.stopUploading).toBe(true)
    expect(run(1, figures, settings)[0]?.stopUploading).toBe(false)
  })
})

describe('no one sharing', () => {
  test('after 15 s without a byte the reader is told, and told no more once bytes come', () => {
    const seconds = NO_BYTES_AFTER_MS / 1000 + 3
    const decisions = run(seconds, (s) => ({ downloaded: s <= seconds - 1 ? 0 : 1000, uploaded: 0, length: MB, done: false }))
    expect(decisions.findIndex((decision) => decision.noOneSharing) + 1).toBe(NO_BYTES_AFTER_MS / 1000 + 1)
    expect(decisions.at(-1)?.noOneSharing).toBe(false)
  })

  test('a complete copy is never "no one sharing"', () => {
    expect(run(30, () => ({ downloaded: MB, uploaded: 0, length: MB, done: true })).some((decision) => decision.noOneSharing)).toBe(false)
  })
})

describe('asking for peers again', () => {
  test('with no bytes, the tracker is asked again after 4 s, then 8, 16, 32, 60, 60 s', () => {
    const decisions = run(300, () => ({ downloaded: 0, uploaded: 0, length: MB, done: false }))
    const askedAt = decisions.flatMap((decision, index) => decision.lookForPeers ? [index + 1] : [])
    const gaps = askedAt.map((second, index) => second - (askedAt[index - 1] ?? 0))
    expect(gaps.slice(0, 6)).toEqual([5, 9, 17, 33, 61, 61])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(ASK_AGAIN_AT_MOST_MS / 1000 + 1)
  })

  test('bytes arriving reset the back-off', () => {
    const policy = seedingPolicy(0)
    const tick = (now: number, downloaded: number): boolean => policy.tick({ now, downloaded, uploaded: 0, length: MB, done: false }, settings).lookForPeers
    expect(tick(ASK_AGAIN_AFTER_MS + 1000, 0)).toBe(true)
    expect(tick(ASK_AGAIN_AFTER_MS + 2000, 10)).toBe(false) // bytes: the clock starts over
    expect(tick(2 * ASK_AGAIN_AFTER_MS + 2000, 10)).toBe(false)
    expect(tick(2 * ASK_AGAIN_AFTER_MS + 3000, 10)).toBe(true) // 4 s again, not 8
  })

  test('a complete copy never asks', () => {
    expect(run(120, () => ({ downloaded: MB, uploaded: 0, length: MB, done: true })).some((decision) => decision.lookForPeers)).toBe(false)
  })
})
