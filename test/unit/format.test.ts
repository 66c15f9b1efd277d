import { expect, test } from 'vitest'
import { formatBytes, formatDuration, formatFixed, formatNumber } from '../../src/protocol/format.ts'

test('sizes and speeds print like numbers, in units chosen by size', () => {
  expect(formatBytes(632.2222222222222, 'en')).toBe('632 bytes') // a speed: an average, not a count
  expect(formatBytes(1, 'en')).toBe('1 byte')
  expect(formatBytes(0, 'en')).toBe('0 bytes')
  expect(formatBytes(1536, 'en')).toBe('1.5 KiB')
  expect(formatBytes(295_014, 'en')).toBe('288.1 KiB')
  expect(formatBytes(1024 * 1024 - 20, 'en')).toBe('1 MiB') // not "1,024 KiB"
  expect(formatBytes(20 * 1024 * 1024, 'en')).toBe('20 MiB')
  expect(formatBytes(3.25 * 1024 ** 3, 'en')).toBe('3.3 GiB')
  expect(formatBytes(5000 * 1024 ** 4, 'en')).toBe('5,000 TiB')
  expect(formatBytes(1536, 'de')).toBe('1,5 KiB')
})

test('counts, ratios and durations in the locale’s own digits and separators', () => {
  expect(formatNumber(1234567, 'en')).toBe('1,234,567')
  expect(formatNumber(1234567, 'de')).toBe('1.234.567')
  expect(formatFixed(0.5, 2, 'en')).toBe('0.50')
  expect(formatFixed(0.5, 2, 'fr')).toBe('0,50')
  expect(formatDuration(850, 'en')).toBe('850 ms')
  expect(formatDuration(1530, 'en')).toBe('1.5 s')
  expect(formatDuration(125_400, 'en')).toBe('2 min 5 s')
})
