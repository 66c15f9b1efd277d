// Who is blamed for a piece that failed its hash, and when a peer is dropped.
import { expect, test } from 'vitest'
import { PieceBlame, SHARED_STRIKES } from '../../src/copy/piece-blame.ts'

test('a peer that alone sent a bad piece is dropped at once; the honest one is not', () => {
  const blame = new PieceBlame()
  blame.received(0, 'honest')
  blame.verified(0)
  blame.received(1, 'liar')
  expect(blame.failed(1)).toEqual(['liar'])
  expect(blame.isDropped('liar')).toBe(true)
  expect(blame.isDropped('honest')).toBe(false)
  // Dropped once: a later bad piece from it (a block still in flight) does not count it twice.
  blame.received(2, 'liar')
  expect(blame.failed(2)).toEqual([])
  expect(blame.counts).toEqual({ badPieces: 2, droppedPeers: 1 })
})

test('peers that shared bad pieces are dropped only after repeated strikes; a verified piece clears its senders', () => {
  const blame = new PieceBlame()
  for (let index = 0; index < SHARED_STRIKES - 1; index++) {
    blame.received(index, 'a')
    blame.received(index, 'b')
    expect(blame.failed(index)).toEqual([])
  }
  blame.received(10, 'a')
  blame.received(10, 'b')
  blame.verified(10)
  expect(blame.failed(10)).toEqual([]) // verified before: nobody to blame for it
  blame.received(11, 'a')
  blame.received(11, 'c')
  expect(blame.failed(11)).toEqual(['a'])
  expect(blame.counts).toEqual({ badPieces: SHARED_STRIKES + 1, droppedPeers: 1 })
})
