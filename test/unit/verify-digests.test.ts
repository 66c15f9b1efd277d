import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { digestMismatch } from '../../src/protocol/verify-digests.ts'

const page = new TextEncoder().encode('<!doctype html><title>A post</title>').buffer as ArrayBuffer
const hex = (algorithm: string, data: ArrayBuffer | string): string => createHash(algorithm).update(typeof data === 'string' ? data : new Uint8Array(data)).digest('hex')

test('a copy matching every published digest passes; none published passes too', async () => {
  expect(await digestMismatch(page, { md5: hex('md5', page), sha256: hex('sha256', page), sha512: hex('sha512', page) })).toBeNull()
  expect(await digestMismatch(page, {})).toBeNull()
})

test('any mismatching digest refuses the copy and names the algorithm', async () => {
  expect(await digestMismatch(page, { md5: hex('md5', 'other') })).toMatch(/MD5 digest/)
  expect(await digestMismatch(page, { sha256: hex('sha256', page), sha512: hex('sha512', 'other') })).toMatch(/SHA-512 digest/)
  expect(await digestMismatch(page, { sha256: hex('sha256', 'other'), md5: hex('md5', page) })).toMatch(/SHA-256 digest/)
})
