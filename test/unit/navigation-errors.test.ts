import { expect, test } from 'vitest'
import { platform as chrome } from '../../src/platform/chrome.ts'
import { platform as firefox } from '../../src/platform/firefox.ts'

test('Chrome net errors map to failure kinds', () => {
  expect(chrome.classifyNavigationError('net::ERR_CONNECTION_REFUSED')).toBe('connection-refused')
  expect(chrome.classifyNavigationError('net::ERR_NAME_NOT_RESOLVED')).toBe('dns')
  expect(chrome.classifyNavigationError('net::ERR_CONNECTION_TIMED_OUT')).toBe('timeout')
  expect(chrome.classifyNavigationError('net::ERR_CERT_DATE_INVALID')).toBe('tls')
  expect(chrome.classifyNavigationError('net::ERR_ABORTED')).toBe('aborted')
  expect(chrome.classifyNavigationError('net::ERR_SOMETHING_NEW')).toBe('other')
})

test('Firefox error codes and NS_ERROR names map to the same kinds', () => {
  expect(firefox.classifyNavigationError('Error code 2152398861')).toBe('connection-refused')
  expect(firefox.classifyNavigationError('NS_ERROR_CONNECTION_REFUSED')).toBe('connection-refused')
  expect(firefox.classifyNavigationError('Error code 2152398878')).toBe('dns')
  expect(firefox.classifyNavigationError('Error code 2152398862')).toBe('timeout')
  expect(firefox.classifyNavigationError('Error code 2152398850')).toBe('aborted')
  expect(firefox.classifyNavigationError('Error code 1')).toBe('other')
  expect(firefox.classifyNavigationError('')).toBe('other')
})
