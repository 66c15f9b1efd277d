import { describe, expect, test } from 'vitest'
import { DEFAULT_SETTINGS, migrateSettings, resolverProblem, settingsProblem } from '../../src/lib/settings.ts'

describe('resolver URLs', () => {
  test('https anywhere, plain http only on loopback', () => {
    expect(resolverProblem('https://dns.example/dns-query')).toBeNull()
    expect(resolverProblem('http://127.0.0.1:8053/dns-query')).toBeNull()
    expect(resolverProblem('http://[::1]:8053/dns-query')).toBeNull()
    expect(resolverProblem('http://localhost/dns-query')).toBeNull()
    expect(resolverProblem('http://dns.example/dns-query')).toMatch(/must use https/)
    expect(resolverProblem('http://192.168.1.1/dns-query')).toMatch(/must use https/)
    expect(resolverProblem('ftp://dns.example/')).toMatch(/must use https/)
    expect(resolverProblem('dns.example')).toMatch(/full URL/)
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
  test('a change is refused with a message when a field is invalid', () => {
    expect(settingsProblem({ maxCopyBytes: 0 })).toMatch(/positive/)
    expect(settingsProblem({ dohResolver: 'http://evil.example/' })).toMatch(/https/)
    expect(settingsProblem({ prewarmPointers: true })).toBeNull()
    expect(settingsProblem({ uploadLimitKiBps: -1 })).toMatch(/upload limit/)
    expect(settingsProblem({ uploadLimitKiBps: 64 })).toBeNull()
  })
})
