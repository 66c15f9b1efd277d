import { expect, test } from 'vitest'
import { canMove } from '../../src/lib/tab-state.ts'

test('the failover state machine moves forward, and a new navigation always starts over', () => {
  expect(canMove(null, 'fetching')).toBe(true)
  expect(canMove('watching', 'looking-up')).toBe(true)
  expect(canMove('watching', 'offered')).toBe(true) // a slow page: the copy is offered while it loads
  expect(canMove('watching', 'fetching')).toBe(true) // a slow page: its copy is fetched while it loads
  expect(canMove('fetching', 'seeding')).toBe(true) // the copy is shown and shared at once
  expect(canMove('looking-up', 'fetching')).toBe(true)
  expect(canMove('fetching', 'showing')).toBe(true)
  expect(canMove('showing', 'seeding')).toBe(true)
  expect(canMove('no-copy', 'watching')).toBe(true)
  expect(canMove('watching', 'seeding')).toBe(false)
  expect(canMove('no-copy', 'showing')).toBe(false)
  expect(canMove('looking-up', 'seeding')).toBe(false)
})
