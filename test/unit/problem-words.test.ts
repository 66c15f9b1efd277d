import { expect, test } from 'vitest'
import { problemWords } from '../../src/lib/problem-words.ts'
import { ProtocolError } from '../../src/protocol/errors.ts'
import { readTorrentFile } from '../../src/protocol/torrent-file.ts'
import { DEFAULT_MAX_COPY_BYTES } from '../../src/protocol/torrent-limits.ts'
import { translator } from './english.ts'

test('a refusal is told to the reader in their language, with its details; the site owner keeps the English', () => {
  const refused = new ProtocolError('torrent-too-large', 'The copy is 200 MiB, more than the 100 MiB Peerback is set to download.', ['200 MiB', '100 MiB'])
  expect(problemWords(refused, translator('en'))).toBe('The copy is 200 MiB, more than the 100 MiB Peerback is set to download.')
  expect(problemWords(refused, translator('de'))).toBe('Die Kopie ist 200 MiB groß, mehr als die 100 MiB, die Peerback laden soll.')
  // Copied between contexts (a message), it is still a refusal.
  expect(problemWords({ ...refused, code: refused.code, message: refused.message, details: refused.details }, translator('ja'))).toMatch(/200 MiB.*100 MiB/)
  expect(problemWords(new Error('something else'), translator('de'))).toBe('something else')
})

test('what the parsers refuse carries the details its reader’s message needs', async () => {
  const result = await readTorrentFile(new Uint8Array([1, 2, 3]), { maxTotalBytes: DEFAULT_MAX_COPY_BYTES })
  expect(result.ok).toBe(false)
  if (!result.ok) expect(problemWords(result.error, translator('fr'))).toBe('Le fichier torrent de la copie est illisible.')
})
