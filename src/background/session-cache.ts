// storage.session as the background reads it: a key read or written in this background instance is
// kept in memory, so a navigation's bookkeeping costs its writes only, not a round trip to the
// browser for every read. The background is the only context that writes these keys; writes still
// reach storage at once (and are awaited), so a stopped worker's successor, or a test, reads them there.
import type { StorageArea } from './ports'

export function cachedArea (area: StorageArea): StorageArea {
  /** Known keys; `undefined` means known to be absent. */
  const known = new Map<string, unknown>()
  const present = (key: string): boolean => known.get(key) !== undefined

  return {
    async get (keys) {
      if (keys === null) return await area.get(null)
      const missing = keys.filter((key) => !known.has(key))
      if (missing.length > 0) {
        const read = await area.get(missing)
        // A key written while it was being read keeps what was written.
        for (const key of missing) if (!known.has(key)) known.set(key, read[key])
      }
      return Object.fromEntries(keys.filter(present).map((key) => [key, structuredClone(known.get(key))]))
    },
    async set (items) {
      for (const [key, value] of Object.entries(items)) known.set(key, structuredClone(value))
      await area.set(items)
    },
    async remove (keys) {
      const stored = keys.filter((key) => !known.has(key) || present(key))
      for (const key of keys) known.set(key, undefined)
      if (stored.length > 0) await area.remove(stored)
    }
  }
}
