import { describe, expect, test } from 'vitest'
import { askPermissions, hasPermissions, laterPermissions, type PermissionsApi } from '../../src/lib/optional-permissions.ts'

const CHROME = ['downloads', 'declarativeNetRequestWithHostAccess']
const FIREFOX = ['downloads']

function reader (answer: boolean | Error): PermissionsApi & { asked: string[][] } {
  const asked: string[][] = []
  return {
    asked,
    contains: async ({ permissions }) => await Promise.resolve(permissions.length === 0),
    request: async ({ permissions }) => {
      asked.push(permissions)
      if (answer instanceof Error) throw answer
      return await Promise.resolve(answer)
    }
  }
}

describe('permissions asked for when a feature is turned on', () => {
  test('only what the manifest left to be asked for later: Firefox is not asked again for header rules it granted at install', () => {
    expect(laterPermissions('advertiseTorrent', CHROME)).toEqual(['declarativeNetRequestWithHostAccess', 'downloads'])
    expect(laterPermissions('advertiseTorrent', FIREFOX)).toEqual(['downloads'])
    expect(laterPermissions('saveFiles', [])).toEqual([])
  })

  test('granted, refused, or a browser that will not ask (no user gesture): the feature is on only when granted', async () => {
    const granting = reader(true)
    expect(await askPermissions(granting, 'advertiseTorrent', FIREFOX)).toBe(true)
    expect(granting.asked).toEqual([['downloads']])
    expect(await askPermissions(reader(false), 'advertiseTorrent', CHROME)).toBe(false)
    expect(await askPermissions(reader(new Error('This function must be called during a user gesture')), 'advertiseTorrent', CHROME)).toBe(false)
  })

  test('nothing left to ask: nothing is asked, and the feature has what it needs', async () => {
    const api = reader(false)
    expect(await askPermissions(api, 'saveFiles', [])).toBe(true)
    expect(await hasPermissions(api, 'saveFiles', [])).toBe(true)
    expect(api.asked).toEqual([])
    expect(await hasPermissions(api, 'saveFiles', FIREFOX)).toBe(false)
  })
})
