import { expect, test } from 'vitest'
import { changedFields, GROUPS, shownValue, storedValue, type Field } from '../../src/options/fields.ts'
import { DEFAULT_SETTINGS } from '../../src/lib/settings.ts'
import { english } from './english.ts'

const field = (key: Field['key']): Field => {
  const found = GROUPS.flatMap((group) => group.fields).find((candidate) => candidate.key === key)
  if (found === undefined) throw new Error(`no field ${key}`)
  return found
}

test('every setting a user may change has a field, a label and an explanation in English', () => {
  const keys = GROUPS.flatMap((group) => group.fields.map((each) => each.key)).sort()
  // Pausing everywhere is the popup's switch.
  expect(keys).toEqual(Object.keys(DEFAULT_SETTINGS).filter((key) => key !== 'version' && key !== 'paused').sort())
  for (const each of GROUPS.flatMap((group) => group.fields)) {
    expect(english(each.label)).not.toBe('')
    expect(english(each.hint).length).toBeGreaterThan(20)
  }
  expect(GROUPS.map((group) => english(group.title))).toEqual(['When a page fails', 'Sharing', 'Keeping pages', 'Privacy', 'Sites', 'Failures and limits', 'Finding copies and peers'])
  // Basic settings first; the advanced ones come after, behind the disclosure.
  expect(GROUPS.map((group) => group.advanced === true)).toEqual([false, false, false, false, false, true, true])
})

test('the labels users and tests rely on', () => {
  expect(['autoFailover', 'slowThresholdSeconds', 'ratioTarget', 'shareWhileReading', 'dohResolver', 'prewarmPointers', 'archiveAuto', 'archiveUrl'].map((key) => english(field(key as Field['key']).label)))
    .toEqual(['Automatic failover', 'Slow page threshold (seconds)', 'Seeding ratio target', 'Share what I read with other readers', 'DNS-over-HTTPS resolver', 'Pre-warm pointers', 'Look for archived copies automatically', 'Web archive'])
})

test('shown values turn back into stored ones', () => {
  expect(shownValue(field('maxCopyBytes'), 100 * 1024 * 1024)).toBe('100')
  expect(storedValue(field('maxCopyBytes'), '1.5')).toBe(1.5 * 1024 * 1024)
  expect(storedValue(field('ratioTarget'), ' 1.0 ')).toBe(1)
  expect(storedValue(field('ratioTarget'), '')).toBeNaN()
  expect(storedValue(field('failoverStatuses'), '502, 503 504')).toEqual([502, 503, 504])
  expect(storedValue(field('offSites'), 'a.example\n\n  b.example ')).toEqual(['a.example', 'b.example'])
  expect(shownValue(field('offSites'), ['a.example', 'b.example'])).toBe('a.example\nb.example')
  expect(storedValue(field('shareWhileReading'), true)).toBe(true)
  expect(shownValue(field('keepDiskBytes'), 200 * 1024 * 1024)).toBe('200')
  expect(storedValue(field('keepUploadBytesPerDay'), '0')).toBe(0)
})

test('a save sends only what the reader changed, so a site turned off from the popup meanwhile stays off', () => {
  const shown = { ...DEFAULT_SETTINGS, offSites: ['old.example'] }
  // The form still shows the list it loaded; the reader changed only the threshold.
  const form = { ...shown, slowThresholdSeconds: 9 }
  expect(changedFields(shown, form)).toEqual({ slowThresholdSeconds: 9 })
  expect(changedFields(shown, { ...shown, offSites: ['old.example', 'new.example'] })).toEqual({ offSites: ['old.example', 'new.example'] })
})
