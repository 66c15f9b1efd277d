import { expect, test } from 'vitest'
import { YIELD_RATE, yieldingRate } from '../../src/publisher/yield-policy.ts'

test('alone, the site seeder serves at full speed (or its limit); with another seed connected, it yields', () => {
  expect(yieldingRate(0, undefined)).toBe(-1)
  expect(yieldingRate(0, 500 * 1024)).toBe(500 * 1024)
  expect(yieldingRate(1, undefined)).toBe(YIELD_RATE)
  expect(yieldingRate(3, 500 * 1024)).toBe(YIELD_RATE)
  expect(yieldingRate(2, 8 * 1024)).toBe(8 * 1024) // a lower limit of the owner's still holds
})
