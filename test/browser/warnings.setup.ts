// Every browser test fails on a `Peerback:` warning it did not expect (drivers.ts collects them).
import { afterEach, expect } from 'vitest'
import { liveDrivers } from './drivers.ts'

afterEach(() => {
  for (const driver of liveDrivers()) expect(driver.unexpectedWarnings(), `unexpected Peerback warnings in ${driver.name}`).toEqual([])
})
