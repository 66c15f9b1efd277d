import { describe, expect, test } from 'vitest'
import { DEFAULT_SETTINGS, migrateSettings, normalizePatch, resolverProblem, settingsProblem } from '../../src/lib/settings.ts'
import { english } from './english.ts'

describe('resolver URLs', () => {
  test('https anywhere, plain http only on loopback', () => {
    expect(resolverProblem('https://dns.example/dns-query')).toBeNull()
    expect(resolverProblem('http://127.0.0.1:8053/dns-query')).toBeNull()
    expect(resolverProblem('http://[::1]:8053/dns-query')).toBeNull()
    expect(resolverProblem('http://localhost/dns-query')).toBeNull()
    expect(resolverProblem('http://dns.example/dns-query')).toBe('problemResolverNotHttps')
    expect(resolverProblem('http://192.168.1.1/dns-query')).toBe('problemResolverNotHttps')
    expect(resolverProblem('ftp://dns.example/')).toBe('problemResolverNotHttps')
    expect(resolverProblem('dns.example')).toBe('problemResolverNotUrl')
    expect(english('problemResolverNotHttps')).toMatch(/must use https/)
  })
})

describe('migrations', () => {
  test('nothing stored, or garbage, gives the defaults', () => {
    expect(migrateSettings(undefined)).toEqual(DEFAULT_SETTINGS)
    expect(migrateSettings('x')).toEqual(DEFAULT_SETTINGS)
    expect(DEFAULT_SETTINGS).toMatchObject({ prewarmPointers: false, maxCopyBytes: 100 * 1024 * 1024, dohResolver: expect.stringMatching(/^https:/) })
  })
  test('valid fields are kept; invalid or unknown ones are dropped, never the whole object', () => {
    expect(migrateSettings({ dohResolver: 'https://dns.example/q', prewarmPointers: 'yes', maxCopyBytes: -5, stray: 1 }))
      .toEqual({ ...DEFAULT_SETTINGS, dohResolver: 'https://dns.example/q' })
  })
  test('an older shape (an earlier version, without the fields added since) keeps every value the user set', () => {
    const older = { version: 0, dohResolver: 'https://dns.example/q', autoFailover: false, ratioTarget: 3, offSites: ['bank.example'] }
    expect(migrateSettings(older)).toEqual({ ...DEFAULT_SETTINGS, dohResolver: 'https://dns.example/q', autoFailover: false, ratioTarget: 3, offSites: ['bank.example'] })
    expect(migrateSettings(older).version).toBe(DEFAULT_SETTINGS.version)
  })
  test('the two sharing switches of earlier versions become one: sharing stays off if either said so', () => {
    expect(migrateSettings({ seedWhileOpen: true, neverUpload: false }).shareWhileReading).toBe(true)
    expect(migrateSettings({ seedWhileOpen: true, neverUpload: true }).shareWhileReading).toBe(false)
    expect(migrateSettings({ seedWhileOpen: false }).shareWhileReading).toBe(false)
    expect(migrateSettings({ seedWhileOpen: false, shareWhileReading: true }).shareWhileReading).toBe(true)
    expect(migrateSettings({ seedWhileOpen: false })).not.toHaveProperty('seedWhileOpen')
  })
  test('the web archive is https (plain http on loopback only), as the resolver', () => {
    expect(settingsProblem({ archiveUrl: 'https://archive.example' })).toBeNull()
    expect(settingsProblem({ archiveUrl: 'http://127.0.0.1:8080' })).toBeNull()
    expect(settingsProblem({ archiveUrl: 'http://archive.example' })).toEqual({ field: 'archiveUrl', problem: 'problemArchiveUrl' })
    expect(DEFAULT_SETTINGS).toMatchObject({ archiveAuto: false, archiveUrl: 'https://archive.org', paused: false, shareWhileReading: true })
  })
  test('off-sites are stored as hosts, however they were typed, and an older list in capitals still matches', () => {
    expect(normalizePatch({ offSites: ['https://Bank.Example/login', '*.shop.example', 'NEWS.example.', 'bank.example'] })).toEqual({ offSites: ['bank.example', 'shop.example', 'news.example'] })
    expect(settingsProblem(normalizePatch({ offSites: ['two words'] }))).toEqual({ field: 'offSites', problem: 'problemOffSites' })
    expect(migrateSettings({ offSites: ['Bank.Example'] }).offSites).toEqual(['bank.example'])
  })
  test('a change is refused, naming the field and why, when a field is invalid', () => {
    expect(settingsProblem({ maxCopyBytes: 0 })).toEqual({ field: 'maxCopyBytes', problem: 'problemMaxCopy' })
    expect(settingsProblem({ prewarmPointers: true, dohResolver: 'http://evil.example/' })).toEqual({ field: 'dohResolver', problem: 'problemResolverNotHttps' })
    expect(settingsProblem({ prewarmPointers: true })).toBeNull()
    expect(settingsProblem({ ratioTarget: -0.5 })).toEqual({ field: 'ratioTarget', problem: 'problemRatio' })
    expect(settingsProblem({ uploadLimitKiBps: -1 })).toEqual({ field: 'uploadLimitKiBps', problem: 'problemUploadLimit' })
    expect(settingsProblem({ uploadLimitKiBps: 64 })).toBeNull()
    expect(settingsProblem({ extraTrackers: ['wss://tracker.example/announce', 'https://t.example/announce'] })).toBeNull()
    expect(settingsProblem({ extraTrackers: ['tracker.example'] })).toEqual({ field: 'extraTrackers', problem: 'problemTrackers' })
    expect(settingsProblem({ extraTrackers: ['udp://tracker.example:80'] })).toEqual({ field: 'extraTrackers', problem: 'problemTrackers' })
    expect(settingsProblem({ advertiseTorrent: 'yes' as unknown as boolean })).toEqual({ field: 'advertiseTorrent', problem: 'problemOnOff' })
  })

  test('every refusal has English words', () => {
    for (const problem of ['problemResolverNotUrl', 'problemResolverNotHttps', 'problemMaxCopy', 'problemSlowThreshold', 'problemOnOff', 'problemRatio', 'problemUploadLimit', 'problemStatuses', 'problemOffSites', 'problemIceServers', 'problemTrackers', 'problemArchiveUrl'] as const) {
      expect(english(problem)).toMatch(/\w{3,}/)
    }
  })
})
