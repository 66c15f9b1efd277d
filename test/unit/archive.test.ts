import { describe, expect, test } from 'vitest'
import { availabilityUrl, findSnapshot, isArchivePage, snapshotOf, waybackTime } from '../../src/lib/archive.ts'

const ARCHIVE = 'https://archive.org'
const answer = (closest: unknown): unknown => ({ url: 'x', archived_snapshots: { closest } })
const settings = { archiveUrl: ARCHIVE, allowPrivateHosts: false }
const respond = (body: string, status = 200): typeof fetch => async () => await Promise.resolve(new Response(body, { status }))

describe('the web archive', () => {
  test('is asked at its availability API with the whole page address', () => {
    expect(availabilityUrl('https://archive.org/', 'https://blog.example/a?b=1&c=2#top'))
      .toBe('https://archive.org/wayback/available?url=https%3A%2F%2Fblog.example%2Fa%3Fb%3D1%26c%3D2%23top')
  })

  test('names a snapshot only when it says one is available, at an http(s) address', () => {
    const found = answer({ status: '200', available: true, url: 'http://web.archive.org/web/20130919044612/http://example.com/', timestamp: '20130919044612' })
    expect(snapshotOf(found, ARCHIVE)).toEqual({ url: 'https://web.archive.org/web/20130919044612/http://example.com/', takenAt: Date.UTC(2013, 8, 19, 4, 46, 12) })
    expect(snapshotOf(found, 'http://127.0.0.1:8080')?.url).toMatch(/^http:/) // a loopback stand-in keeps its scheme
    expect(snapshotOf({ archived_snapshots: {} }, ARCHIVE)).toBeNull()
    expect(snapshotOf(answer({ available: false, url: 'https://web.archive.org/x' }), ARCHIVE)).toBeNull()
    expect(snapshotOf(answer({ available: true, url: 'javascript:alert(1)' }), ARCHIVE)).toBeNull()
    expect(snapshotOf(answer({ available: true, url: 'chrome-extension://abc/popup.html' }), ARCHIVE)).toBeNull()
    expect(snapshotOf(null, ARCHIVE)).toBeNull()
    expect(snapshotOf('[]', ARCHIVE)).toBeNull()
    expect(waybackTime('2026')).toBe(Date.UTC(2026, 0, 1))
    expect(waybackTime('yesterday')).toBeNull()
  })

  test('knows its own pages, so an archive that fails is not asked about itself', () => {
    expect(isArchivePage('https://web.archive.org/web/2020/https://x.example/', 'https://archive.org')).toBe(true)
    expect(isArchivePage('https://archive.org/wayback/available', 'https://www.archive.org/')).toBe(true)
    expect(isArchivePage('https://notarchive.org/', 'https://archive.org')).toBe(false)
  })

  test('says found, none, or unreachable (with why), and never follows a snapshot to where a site could not send the tab', async () => {
    const found = JSON.stringify(answer({ available: true, url: 'https://web.archive.org/web/2026/https://blog.example/', timestamp: '2026' }))
    expect(await findSnapshot('https://blog.example/', settings, respond(found))).toEqual({ kind: 'found', url: 'https://web.archive.org/web/2026/https://blog.example/', takenAt: Date.UTC(2026, 0, 1) })
    expect(await findSnapshot('https://blog.example/', settings, respond('{"archived_snapshots":{}}'))).toEqual({ kind: 'none' })
    const intranet = JSON.stringify(answer({ available: true, url: 'http://192.168.1.1/admin' }))
    expect(await findSnapshot('https://blog.example/', settings, respond(intranet))).toEqual({ kind: 'none' })
    expect(await findSnapshot('https://blog.example/', settings, respond('busy', 503))).toEqual({ kind: 'unreachable', why: 'HTTP 503' })
    expect(await findSnapshot('https://blog.example/', settings, respond('<html>'))).toMatchObject({ kind: 'unreachable', why: expect.stringMatching(/JSON/) })
    expect(await findSnapshot('https://blog.example/', settings, respond('x'.repeat(100_000)))).toMatchObject({ kind: 'unreachable', why: expect.stringMatching(/more than/) })
    const refused: typeof fetch = async () => { throw new TypeError('Failed to fetch') }
    expect(await findSnapshot('https://blog.example/', settings, refused)).toEqual({ kind: 'unreachable', why: 'Failed to fetch' })
  })
})
