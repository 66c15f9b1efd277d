// The store listings' screenshots (docs/store/): 1280×800, as both stores take them, taken by the
// tests that put each screen in its state.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expect } from 'vitest'
import type { ScreenSize } from './drivers.ts'

export const STORE_SIZE: ScreenSize = { width: 1280, height: 800 }

export const storeImage = (name: string): string => resolve('docs/store/images', name)

/** The PNG at `path` is a store screenshot: 1280×800, with something on it. */
export async function expectStoreImage (path: string): Promise<void> {
  const png = await readFile(path)
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(STORE_SIZE)
  expect(png.length).toBeGreaterThan(10_000)
}
