import { expect, test } from 'vitest'
import { MirrorError, rejectedWords, rejection } from '../../src/lib/mirror-faults.ts'
import { RefusedFetch, Stalled, TooMuchData } from '../../src/lib/site-fetch.ts'
import { translator } from './english.ts'

const at = (host: string): string => `https://${host}/release.tar.gz`

test('why each mirror was passed over is told in the reader\'s language, from what its fetch threw', () => {
  const rejected = [
    rejection(at('one.example'), new MirrorError({ kind: 'settled', algorithm: 'MD5', disputed: 1, sampled: 5, witness: 'two.example' }, 'English')),
    rejection(at('three.example'), new Stalled('three.example stopped sending for 10 s', 10, true)),
    rejection(at('four.example'), new MirrorError({ kind: 'http', status: 503 }, 'HTTP 503')),
    rejection(at('five.example'), new TypeError('Failed to fetch'))
  ]
  expect(rejectedWords(rejected, translator('en'))).toBe('one.example (its copy does not match the MD5 digest the site published; 1 of the 5 ranges checked disagreed with two.example, whose ranges made a copy that matches); ' +
    'three.example (it stopped sending for 10 s); four.example (it answered HTTP 503); five.example (unreachable)')
  expect(rejectedWords(rejected, translator('de'))).toBe('one.example (die Kopie stimmt nicht mit dem MD5-Digest der Website überein; geprüfte Abschnitte, in denen two.example abwich: 1 von 5; die Abschnitte von two.example ergaben eine passende Kopie); ' +
    'three.example (hat 10 s lang nichts mehr gesendet); four.example (antwortete mit HTTP 503); five.example (nicht erreichbar)')
  // The English stays with the fault, for logs and the site's owner.
  expect(rejected[1]?.why).toBe('three.example stopped sending for 10 s')
})

test('the site-fetch refusals keep their kind', () => {
  expect(rejection(at('a.example'), new RefusedFetch('no')).fault).toEqual({ kind: 'refused' })
  expect(rejection(at('a.example'), new TooMuchData('big')).fault).toEqual({ kind: 'too-large' })
  expect(rejection(at('a.example'), new Stalled('quiet', 5, false)).fault).toEqual({ kind: 'stalled', seconds: 5, started: false })
  expect(rejectedWords([rejection(at('a.example'), new Stalled('quiet', 5, false))], translator('fr'))).toBe('a.example (aucune réponse en 5 s)')
})
