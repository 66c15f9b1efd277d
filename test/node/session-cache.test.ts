import { expect, test } from 'vitest'
import type { StorageArea } from '../../src/background/ports.ts'
import { cachedArea } from '../../src/background/session-cache.ts'
import { memoryArea } from './memory-area.ts'

/** A storage area that counts the calls that reach it, and can hold a read back until told. */
function countedArea (): StorageArea & { calls: string[], data: Map<string, string>, holdReads: () => () => void } {
  const inner = memoryArea()
  const calls: string[] = []
  let held: Promise<void> | null = null
  return {
    calls,
    data: inner.data,
    holdReads: () => {
      let release = (): void => {}
      held = new Promise((resolve) => { release = resolve })
      return () => { held = null; release() }
    },
    get: async (keys) => {
      calls.push(`get ${keys?.join(',') ?? '*'}`)
      const read = await inner.get(keys)
      await held
      return read
    },
    set: async (items) => { calls.push(`set ${Object.keys(items).join(',')}`); await inner.set(items) },
    remove: async (keys) => { calls.push(`remove ${keys.join(',')}`); await inner.remove(keys) }
  }
}

test('a key read or written once is read from memory after; writes and removals still reach storage', async () => {
  const storage = countedArea()
  await storage.set({ a: 1 })
  storage.calls.length = 0
  const session = cachedArea(storage)
  expect(await session.get(['a', 'b'])).toEqual({ a: 1 })
  expect(await session.get(['a', 'b'])).toEqual({ a: 1 })
  await session.set({ b: { phase: 'watching' } })
  expect(await session.get(['b'])).toEqual({ b: { phase: 'watching' } })
  await session.remove(['a'])
  expect(await session.get(['a'])).toEqual({})
  // A key known to be absent is not removed again.
  await session.remove(['a'])
  expect(storage.calls).toEqual(['get a,b', 'set b', 'remove a'])
  expect(Object.fromEntries(storage.data)).toEqual({ b: JSON.stringify({ phase: 'watching' }) })
})

test('what a caller does with a value it read or wrote does not change what is kept', async () => {
  const session = cachedArea(countedArea())
  const written = { url: 'http://a.test/', switched: false }
  await session.set({ race: written })
  written.switched = true
  const read = (await session.get(['race'])).race as { switched: boolean }
  read.switched = true
  expect(await session.get(['race'])).toEqual({ race: { url: 'http://a.test/', switched: false } })
})

test('a key written while it is being read keeps what was written', async () => {
  const storage = countedArea()
  await storage.set({ state: 'old' })
  const session = cachedArea(storage)
  const release = storage.holdReads()
  const reading = session.get(['state'])
  await session.set({ state: 'new' })
  release()
  expect(await reading).toEqual({ state: 'new' })
  expect(await session.get(['state'])).toEqual({ state: 'new' })
})
