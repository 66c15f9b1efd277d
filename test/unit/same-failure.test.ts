import { expect, test } from 'vitest'
import { sameFailureWindow } from '../../src/background/same-failure.ts'

test('the request error and the navigation error of one failure count once; a later reload counts again', () => {
  const failures = sameFailureWindow(2000)
  expect(failures.isNew(1, 'http://a.test/', 10_000)).toBe(true) // webRequest.onErrorOccurred
  expect(failures.isNew(1, 'http://a.test/', 10_170)).toBe(false) // webNavigation.onErrorOccurred
  expect(failures.isNew(2, 'http://a.test/', 10_200)).toBe(true) // another tab
  expect(failures.isNew(1, 'http://b.test/', 10_300)).toBe(true) // another page in the tab
  expect(failures.isNew(1, 'http://b.test/', 14_000)).toBe(true) // the user tries again
})

test('a failure after a new start of the same page is a new one, however soon (back, then forward)', () => {
  const failures = sameFailureWindow(2000)
  expect(failures.isNew(1, 'http://a.test/', 10_000)).toBe(true)
  expect(failures.started(1, 'http://a.test/', 9_990)).toBe(true) // a start that arrives late (Firefox) is not a new navigation
  expect(failures.started(1, 'http://b.test/', 10_100)).toBe(false) // the reader goes on before the failure's second event
  expect(failures.isNew(1, 'http://a.test/', 10_170)).toBe(false)
  expect(failures.started(1, 'http://a.test/', 10_150)).toBe(true) // stamped after the first error, before the second
  expect(failures.started(1, 'http://a.test/', 10_500)).toBe(false)
  expect(failures.isNew(1, 'http://a.test/', 10_530)).toBe(true)
})
