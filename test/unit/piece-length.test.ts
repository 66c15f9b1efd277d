import { expect, test } from 'vitest'
import { pieceLengthFor } from '../../src/publisher/make-torrent.ts'

test('pages keep create-torrent’s small pieces; large files get pieces a web seed can serve quickly', () => {
  expect(pieceLengthFor(100 * 1024)).toBeUndefined()
  expect(pieceLengthFor(8 * 1024 * 1024 - 1)).toBeUndefined()
  expect(pieceLengthFor(8 * 1024 * 1024)).toBe(256 * 1024)
  expect(pieceLengthFor(20 * 1024 * 1024)).toBe(256 * 1024)
  expect(pieceLengthFor(1024 * 1024 * 1024)).toBe(1024 * 1024)
})
