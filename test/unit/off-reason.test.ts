import { expect, test } from 'vitest'
import { DEFAULT_SETTINGS } from '../../src/lib/settings.ts'
import { greyPixels, offReason } from '../../src/lib/off-reason.ts'

test('the toolbar says off where the reader turned Peerback off, and everywhere while paused', () => {
  const settings = { ...DEFAULT_SETTINGS, offSites: ['bank.example'] }
  expect(offReason('https://www.bank.example/login', settings)).toBe('site')
  expect(offReason('https://news.example/', settings)).toBeNull()
  expect(offReason('chrome://newtab/', settings)).toBeNull()
  expect(offReason(undefined, settings)).toBeNull()
  expect(offReason('https://news.example/', { ...settings, paused: true })).toBe('paused')
  expect(offReason('about:blank', { ...settings, paused: true })).toBe('paused')
})

test('a greyed icon keeps its shape: grey where it was coloured, faded, transparent where it was', () => {
  const pixels = new Uint8ClampedArray([15, 118, 110, 255, 0, 0, 0, 0])
  greyPixels(pixels)
  expect([...pixels]).toEqual([86, 86, 86, 140, 0, 0, 0, 0])
})
