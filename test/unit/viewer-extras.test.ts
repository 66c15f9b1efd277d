import { describe, expect, test } from 'vitest'
import { copyAge } from '../../src/viewer/copy-age.ts'
import { HEAD_BYTES, headOf } from '../../src/viewer/page-identity.ts'
import { FIRST_PROBE_MS, MOST_PROBE_MS, siteIsBack, siteProbe } from '../../src/viewer/site-probe.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

describe('the copy’s age', () => {
  test('in the largest unit that fits, as a reader says it', () => {
    expect(copyAge(0, 3 * DAY + 5 * MINUTE, 'en')).toBe('3 days ago')
    expect(copyAge(0, 90 * MINUTE, 'en')).toBe('1 hour ago')
    expect(copyAge(0, 2 * MINUTE, 'en')).toBe('2 minutes ago')
    expect(copyAge(0, 400 * DAY, 'en')).toBe('1 year ago')
    expect(copyAge(0, 30 * 1000, 'en')).toBeNull()
    expect(copyAge(DAY, 0, 'en')).toBeNull()
    expect(copyAge(0, 3 * DAY, 'de')).toBe('vor 3 Tagen')
  })
})

describe('asking whether the site is back', () => {
  test('not before a minute, never while the tab is hidden, once at a time, less often while the site stays down', () => {
    const probe = siteProbe(0)
    expect(probe.due(FIRST_PROBE_MS - 1, true)).toBe(false)
    expect(probe.due(FIRST_PROBE_MS, false)).toBe(false)
    expect(probe.due(FIRST_PROBE_MS, true)).toBe(true)
    expect(probe.due(FIRST_PROBE_MS + 1000, true)).toBe(false) // the first one is still out
    probe.answered(FIRST_PROBE_MS + 1000, false)
    expect(probe.due(FIRST_PROBE_MS + 1000 + 2 * MINUTE - 1, true)).toBe(false)
    expect(probe.due(FIRST_PROBE_MS + 1000 + 2 * MINUTE, true)).toBe(true)
    let at = FIRST_PROBE_MS + 1000 + 2 * MINUTE
    for (let round = 0; round < 10; round++) {
      probe.answered(at, false)
      at += MOST_PROBE_MS
      expect(probe.due(at, true)).toBe(true)
    }
  })

  test('an answer counts as back unless it is an outage status', () => {
    expect(siteIsBack(200, [502, 503, 504])).toBe(true)
    expect(siteIsBack(404, [502, 503, 504])).toBe(true)
    expect(siteIsBack(0, [502, 503, 504])).toBe(true) // a redirect: the site answers
    expect(siteIsBack(503, [502, 503, 504])).toBe(false)
    expect(siteIsBack(500, [502, 503, 504])).toBe(false)
  })
})

test('a page\'s title and icon are read from its first 64 KiB only, however large the page', () => {
  const head = '<!doctype html><head><title>Big page</title><link rel=icon href=/i.png></head><body>'
  const page = new TextEncoder().encode(head + 'x'.repeat(5 * 1024 * 1024))
  const text = headOf(page.buffer)
  expect(text.startsWith(head)).toBe(true)
  expect(text).toHaveLength(HEAD_BYTES)
  expect(headOf(new TextEncoder().encode(head).buffer)).toBe(head)
})
