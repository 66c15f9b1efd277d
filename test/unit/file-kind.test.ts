import { expect, test } from 'vitest'
import { downloadName, fileKind, webmCodecs } from '../../src/viewer/file-kind.ts'

test('a file is shown, played or saved by its name in the torrent, or by what a mirror said it is', () => {
  expect(fileKind('blog/post.html').kind).toBe('page')
  expect(fileKind('photos/cat.JPG')).toEqual({ kind: 'image', type: 'image/jpeg' })
  expect(fileKind('logo.svg').kind).toBe('vector-image')
  expect(fileKind('paper.pdf').kind).toBe('pdf')
  expect(fileKind('talk.webm')).toEqual({ kind: 'video', type: 'video/webm' })
  expect(fileKind('song.mp3').kind).toBe('audio')
  expect(fileKind('release-1.0.tar.gz')).toEqual({ kind: 'download', type: 'application/octet-stream' })
  expect(fileKind('LICENSE').kind).toBe('download')
  // A mirror's answer: its Content-Type decides; octet-stream or nonsense falls back to the name.
  expect(fileKind('/', 'text/html; charset=utf-8').kind).toBe('page')
  expect(fileKind('/download', 'application/pdf').kind).toBe('pdf')
  expect(fileKind('/a.webm', 'application/octet-stream').kind).toBe('video')
  expect(fileKind('/a.tar.gz', 'text/html<script>').kind).toBe('download')
})

test('a download keeps its own name, and nothing a file system would refuse or misread', () => {
  expect(downloadName('releases/peerback-1.0.tar.gz')).toBe('peerback-1.0.tar.gz')
  expect(downloadName('a%20b.txt')).toBe('a b.txt')
  expect(downloadName('..%2F..%2Fetc%2Fpasswd')).toBe('_.._etc_passwd')
  expect(downloadName('%E0%A4%A.bin')).toBe('%E0%A4%A.bin')
  expect(downloadName('...')).toBe('download')
  expect(downloadName('con<>:|?*.txt')).toBe('con______.txt')
  expect(downloadName('x'.repeat(300)).length).toBe(200)
})

test('the codecs of a WebM file are read from its track headers', () => {
  const head = (text: string): Uint8Array => new TextEncoder().encode(`\u001aE\u00df\u00a3webm....${text}....`)
  expect(webmCodecs(head('V_VP8 A_OPUS'))).toEqual(['vp8', 'opus'])
  expect(webmCodecs(head('V_VP9'))).toEqual(['vp9'])
  expect(webmCodecs(head('nothing here'))).toBeNull()
})

test('a download name shows what it is: no bidi overrides or invisible characters, no reserved or dot-ended names', () => {
  // U+202E turns "evil‮gpj.exe" into what reads as "evilexe.jpg".
  expect(downloadName('evil\u202Egpj.exe')).toBe('evilgpj.exe')
  for (const control of ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200B', '\u200E', '\u200F', '\uFEFF', '\u061C', '\u00AD']) {
    expect(downloadName(`report${control}.pdf`), JSON.stringify(control)).toBe('report.pdf')
  }
  expect(downloadName('report%E2%80%AEfdp.exe')).toBe('reportfdp.exe')
  expect(downloadName('CON')).toBe('_CON')
  expect(downloadName('nul.tar.gz')).toBe('_nul.tar.gz')
  expect(downloadName('LPT9.txt')).toBe('_LPT9.txt')
  expect(downloadName('console.txt')).toBe('console.txt')
  expect(downloadName('notes.txt. . ')).toBe('notes.txt')
  expect(downloadName('a\u0085b.bin')).toBe('a_b.bin')
})
