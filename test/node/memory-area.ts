import type { StorageArea } from '../../src/background/ports.ts'

/** Behaves as browser.storage does: values are copied in and out as JSON; `get(null)` reads everything. */
export function memoryArea (): StorageArea & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    get: async (keys) => Object.fromEntries((keys ?? [...data.keys()]).filter((key) => data.has(key)).map((key) => [key, JSON.parse(data.get(key) as string)])),
    set: async (items) => { for (const [key, value] of Object.entries(items)) data.set(key, JSON.stringify(value)) },
    remove: async (keys) => { for (const key of keys) data.delete(key) }
  }
}
