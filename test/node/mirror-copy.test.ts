// A file from two mirrors and no torrent (src/copy/mirror-copy.ts, mirror-download.ts), against
// real HTTP servers on loopback that serve ranges: the faster mirror serves the file, the other
// checks a slice of each range; a damaged mirror costs the ranges it damaged, not a second pass.
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, expect, test } from 'vitest'
import { fetchFromMirrors } from '../../src/copy/mirror-copy.ts'
import type { Digests } from '../../src/protocol/digests.ts'
import { serve, type TestServer } from './http-server.ts'

const MiB = 1024 * 1024
const FILE = Uint8Array.from({ length: 10 * MiB }, (_, index) => (index * 7919) % 251)
const MD5 = createHash('md5').update(FILE).digest('hex')

interface Mirror extends TestServer { served: () => number, ranges: () => string[] }

/**
 * A mirror of FILE that serves ranges. `damage` says which bytes it flips; `probeDelayMs` holds its
 * answer to the first-byte probe (so the others answer first).
 */
async function mirror ({ damage = () => false, probeDelayMs = 0, file = FILE }: { damage?: (index: number) => boolean, probeDelayMs?: number, file?: Uint8Array } = {}): Promise<Mirror> {
  let served = 0
  const ranges: string[] = []
  const server = await serve((req: IncomingMessage, res: ServerResponse) => {
    const [, first, last] = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '') ?? []
    if (first === undefined || last === undefined) {
      res.writeHead(200, { 'content-length': file.length })
      res.end(file)
      return
    }
    const start = Number(first)
    const end = Math.min(Number(last), file.length - 1)
    const body = file.slice(start, end + 1)
    for (let index = 0; index < body.length; index++) if (damage(start + index)) body[index] = (body[index] as number) ^ 0xff
    ranges.push(`${start}-${end}`)
    const send = (): void => {
      served += body.length
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${file.length}`, 'content-length': body.length, 'content-type': 'application/gzip' })
      res.end(body)
    }
    if (start === 0 && end === 0) setTimeout(send, probeDelayMs)
    else send()
  })
  return Object.assign(server, { served: () => served, ranges: () => ranges })
}

/** How much later the next mirror answers the probe: enough that a busy machine keeps the order. */
const PROBE_GAP_MS = 400

const servers: TestServer[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async (server) => { await server.close() })) })

async function twoMirrors (first: Parameters<typeof mirror>[0], second: Parameters<typeof mirror>[0] = { probeDelayMs: PROBE_GAP_MS }): Promise<[Mirror, Mirror]> {
  const mirrors = await Promise.all([mirror(first), mirror(second)])
  servers.push(...mirrors)
  return mirrors
}

const fetchFile = async (mirrors: Mirror[], digests: Digests = { md5: MD5 }) =>
  await fetchFromMirrors(mirrors.map(({ base }) => `${base}/release.tar.gz`), { page: `${mirrors[0]?.base ?? ''}/release.tar.gz`, allowPrivateHosts: false, offSites: [] }, digests, 100 * MiB, () => {})

const bytesOf = (parts: Uint8Array[]): Buffer => Buffer.concat(parts)
/** Five ranges of 2 MiB, each checked with a 16 KiB slice, plus the one-byte probe. */
const SAMPLES = 5 * 16 * 1024 + 1

test('two clean mirrors: the faster serves the file, the other only a slice of each range', async () => {
  const [fast, witness] = await twoMirrors({})
  const file = await fetchFile([fast, witness])
  expect(bytesOf(file.parts).equals(Buffer.from(FILE))).toBe(true)
  expect(file).toMatchObject({ mirror: `${fast.base}/release.tar.gz`, checked: true, rejected: [] })
  expect(witness.served()).toBe(SAMPLES)
})

test('the faster mirror damages every range: the witness\'s ranges, fetched beside it, make the file — no second pass after the first', async () => {
  const [damaged, good] = await twoMirrors({ damage: (index) => index % (16 * 1024) === 100 })
  const file = await fetchFile([damaged, good])
  expect(bytesOf(file.parts).equals(Buffer.from(FILE))).toBe(true)
  expect(file.mirror).toBe(`${good.base}/release.tar.gz`)
  expect(file.rejected).toEqual([{
    mirror: `${damaged.base}/release.tar.gz`,
    fault: { kind: 'settled', algorithm: 'MD5', disputed: 5, sampled: 5, witness: new URL(good.base).host },
    why: expect.stringMatching(/^its copy does not match the MD5 digest the site published; 5 of the 5 ranges checked disagreed with 127\.0\.0\.1:\d+/)
  }])
  expect(damaged.served()).toBe(FILE.length + 1)
  expect(good.served()).toBe(FILE.length + SAMPLES)
})

test('damage in one range costs that range: the witness sends it and its slices, nothing more', async () => {
  const [damaged, good] = await twoMirrors({ damage: (index) => index >= 6 * MiB && index < 8 * MiB && index % 1000 === 0 })
  const file = await fetchFile([damaged, good])
  expect(bytesOf(file.parts).equals(Buffer.from(FILE))).toBe(true)
  expect(file.mirror).toBe(`${damaged.base}/release.tar.gz`)
  expect(file.rejected[0]?.fault).toMatchObject({ kind: 'settled', disputed: 1, sampled: 5 })
  expect(good.served()).toBe(2 * MiB + SAMPLES)
  expect(good.ranges()).toContain(`${6 * MiB}-${8 * MiB - 1}`)
})

test('two mirrors that agree on a stale copy are not believed against the digest: the third one\'s ranges make the file', async () => {
  const stale = (index: number): boolean => index % 4096 === 0 // both synced from the same old file
  const mirrors = await Promise.all([mirror({ damage: stale }), mirror({ damage: stale, probeDelayMs: PROBE_GAP_MS }), mirror({ probeDelayMs: 2 * PROBE_GAP_MS })])
  servers.push(...mirrors)
  const [first, second, good] = mirrors
  const file = await fetchFile(mirrors)
  expect(bytesOf(file.parts).equals(Buffer.from(FILE))).toBe(true)
  expect(file.mirror).toBe(`${good.base}/release.tar.gz`)
  expect(file.rejected).toEqual([
    { mirror: `${first.base}/release.tar.gz`, fault: { kind: 'digest', algorithm: 'MD5' }, why: 'its copy does not match the MD5 digest the site published.' },
    { mirror: `${second.base}/release.tar.gz`, fault: expect.objectContaining({ kind: 'settled', disputed: 5 }), why: expect.stringMatching(/^its copy does not match the MD5 digest the site published; 5 of the 5 ranges checked disagreed/) }
  ])
})

test('without a digest nothing could settle a disagreement: no witness is asked', async () => {
  const [fast, other] = await twoMirrors({})
  const file = await fetchFile([fast, other], {})
  expect(file).toMatchObject({ mirror: `${fast.base}/release.tar.gz`, checked: false })
  expect(other.served()).toBe(1)
})

test('both mirrors damaged: neither is believed, and the error names both', async () => {
  const [one, two] = await twoMirrors({ damage: (index) => index % 9000 === 0 }, { damage: (index) => index % 7000 === 0, probeDelayMs: PROBE_GAP_MS })
  await expect(fetchFile([one, two])).rejects.toThrow(/^No mirror served a good copy: .*release\.tar\.gz \(its copy does not match the MD5 digest.*; .*release\.tar\.gz \(its copy does not match the MD5 digest/)
})

// Ten ranges: more than are fetched at once, so a mirror found damaged early has ranges not yet begun.
const LARGE = Uint8Array.from({ length: 20 * MiB }, (_, index) => (index * 104729) % 241)
const LARGE_MD5 = createHash('md5').update(LARGE).digest('hex')
const LARGE_SAMPLES = 10 * 16 * 1024 + 1
const everySlice = (index: number): boolean => index % (16 * 1024) === 100

test('a mirror damaged throughout: once its first ranges all disagree, the witness takes the ranges not yet begun', async () => {
  const mirrors = await Promise.all([mirror({ file: LARGE, damage: everySlice }), mirror({ file: LARGE, probeDelayMs: PROBE_GAP_MS })])
  servers.push(...mirrors)
  const [damaged, good] = mirrors
  const file = await fetchFile(mirrors, { md5: LARGE_MD5 })
  expect(bytesOf(file.parts).equals(Buffer.from(LARGE))).toBe(true)
  expect(file.mirror).toBe(`${good.base}/release.tar.gz`)
  expect(file.rejected).toEqual([expect.objectContaining({ mirror: `${damaged.base}/release.tar.gz`, fault: expect.objectContaining({ kind: 'settled', algorithm: 'MD5' }) })])
  expect(damaged.served()).toBeLessThan(LARGE.length)
  expect(good.served()).toBeLessThanOrEqual(LARGE.length + LARGE_SAMPLES)
})

test('a witness that lies in its slices cannot take a good mirror\'s file away: its copy fails the digest, and the mirror\'s own ranges come after all, each once', async () => {
  const mirrors = await Promise.all([mirror({ file: LARGE }), mirror({ file: LARGE, damage: everySlice, probeDelayMs: PROBE_GAP_MS })])
  servers.push(...mirrors)
  const [good, liar] = mirrors
  const file = await fetchFile(mirrors, { md5: LARGE_MD5 })
  expect(bytesOf(file.parts).equals(Buffer.from(LARGE))).toBe(true)
  expect(file).toMatchObject({ mirror: `${good.base}/release.tar.gz`, rejected: [] })
  expect(good.served()).toBe(LARGE.length + 1)
  expect(liar.served()).toBeLessThanOrEqual(LARGE.length + LARGE_SAMPLES)
})
