// What may be kept (lib/kept.ts mayKeep), and how the popup and the options page word what is
// kept and shared, in English and German.
import { expect, test } from 'vitest'
import { describeSharing, mayKeep, type SharingStatus } from '../../src/lib/kept.ts'
import { DEFAULT_SETTINGS, normalizePatch, settingsProblem } from '../../src/lib/settings.ts'
import { translator } from './english.ts'

const on = { ...DEFAULT_SETTINGS, keepSharing: true }

test('a page is kept only with the setting on, not paused, not off for its site, and on a listed site when there is a list', () => {
  expect(DEFAULT_SETTINGS).toMatchObject({ keepSharing: false, keepDiskBytes: 200 * 1024 * 1024, keepSites: [], keepWarmBelowSeeders: 3 })
  expect(mayKeep('https://a.example/1', DEFAULT_SETTINGS)).toBe(false)
  expect(mayKeep('https://a.example/1', on)).toBe(true)
  expect(mayKeep('https://a.example/1', { ...on, paused: true })).toBe(false)
  expect(mayKeep('https://a.example/1', { ...on, offSites: ['a.example'] })).toBe(false)
  expect(mayKeep('https://blog.a.example/1', { ...on, keepSites: ['a.example'] })).toBe(true)
  expect(mayKeep('https://b.example/1', { ...on, keepSites: ['a.example'] })).toBe(false)
  expect(mayKeep('not a url', on)).toBe(false)
})

test('the budgets and the site list are checked, and sites are stored as hosts', () => {
  expect(settingsProblem({ keepDiskBytes: 1000 })).toEqual({ field: 'keepDiskBytes', problem: 'problemKeepDisk' })
  expect(settingsProblem({ keepUploadBytesPerDay: -1 })).toEqual({ field: 'keepUploadBytesPerDay', problem: 'problemKeepUpload' })
  expect(settingsProblem({ keepUploadBytesPerDay: 0, keepWarmBelowSeeders: 0 })).toBeNull()
  expect(settingsProblem({ keepWarmBelowSeeders: 2.5 })).toEqual({ field: 'keepWarmBelowSeeders', problem: 'problemKeepSeeders' })
  expect(normalizePatch({ keepSites: ['https://News.Example/today', 'news.example'] })).toEqual({ keepSites: ['news.example'] })
  expect(settingsProblem(normalizePatch({ keepSites: ['two words'] }))).toEqual({ field: 'keepSites', problem: 'problemOffSites' })
})

test('what is kept and shared, in the reader’s words', () => {
  const status: SharingStatus = { on: true, pages: 2, sites: ['a.example', 'b.example'], bytes: 3 * 1024 * 1024, uploadedToday: 512 * 1024, peers: 3 }
  const english = translator('en')
  expect(describeSharing({ ...status, on: false, pages: 0 }, english, 'en')).toEqual([])
  expect(describeSharing({ ...status, pages: 0, page: 'enough' }, english, 'en')).toEqual([
    'Keep sharing pages I’ve read is on; nothing is kept yet.',
    'This page is not kept: enough readers share it already.'
  ])
  expect(describeSharing({ ...status, page: 'kept' }, english, 'en')).toEqual([
    'Keeping 2 pages (3 MiB) of a.example, b.example.',
    '512 KiB uploaded today; readers connected now: 3.',
    'You keep sharing this page.'
  ])
  expect(describeSharing({ ...status, pages: 1, peers: null }, translator('de'), 'de')[0]).toBe('1 Seite (3 MiB) von a.example, b.example behalten.')
})
