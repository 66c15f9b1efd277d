import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { randomBytes } from 'node:crypto'
import { digestMismatch, RunningDigests } from '../../src/protocol/verify-digests.ts'

const page = new TextEncoder().encode('<!doctype html><title>A post</title>').buffer
const hex = (algorithm: string, data: ArrayBuffer | Uint8Array | string): string => createHash(algorithm).update(typeof data === 'string' ? data : new Uint8Array(data)).digest('hex')

test('a copy matching every published digest passes; none published passes too', async () => {
  expect(await digestMismatch(page, { md5: hex('md5', page), sha256: hex('sha256', page), sha512: hex('sha512', page) })).toBeNull()
  expect(await digestMismatch(page, {})).toBeNull()
})

test('any mismatching digest refuses the copy and names the algorithm', async () => {
  expect(await digestMismatch(page, { md5: hex('md5', 'other') })).toMatch(/MD5 digest/)
  expect(await digestMismatch(page, { sha256: hex('sha256', page), sha512: hex('sha512', 'other') })).toMatch(/SHA-512 digest/)
  expect(await digestMismatch(page, { sha256: hex('sha256', 'other'), md5: hex('md5', page) })).toMatch(/SHA-256 digest/)
})

test('a file hashed piece by piece, in chunks of any size and offset, gives the digests of the whole', () => {
  const whole = randomBytes(300_001)
  const expected = { md5: hex('md5', whole), sha256: hex('sha256', whole), sha512: hex('sha512', whole) }
  for (const size of [4093, 16_384, 65_537, 300_001]) {
    const running = new RunningDigests(expected)
    // Views into one larger buffer, as a chunk store hands out pieces.
    for (let at = 0; at < whole.length; at += size) running.update(whole.subarray(at, at + size))
    expect(running.result()).toEqual(expected)
    expect(running.mismatch()).toBeNull()
  }
  const damaged = Uint8Array.from(whole)
  damaged[150_000] = (damaged[150_000] as number) ^ 1
  const running = new RunningDigests({ sha256: expected.sha256 })
  running.update(damaged)
  expect(running.mismatch('The file')).toBe('The file does not match the SHA-256 digest the site published.')
  expect(running.result().md5).toBeUndefined()
})
