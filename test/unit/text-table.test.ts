import { expect, test } from 'vitest'
import { textTable } from '../../src/publisher/text-table.ts'

const rows = [
  ['page', 'https://blog.example/posts/2026/a-rather-long-title-for-a-post/', '3', '12.0 KiB', 'torrent', '0ae150a08faf', 'torrents/pages/posts/2026/a-rather-long-title-for-a-post/index.html.torrent'],
  ['site', 'https://blog.example/', '40', '1.2 MiB', 'magnet', '886e5ecc0927', 'torrents/site.torrent']
]
const header = ['scope', 'url', 'files', 'size', 'dns', 'infohash', 'torrent']

test('a table wider than the terminal is cut to fit, the widest columns in the middle first', () => {
  const wide = textTable(header, rows)
  expect(Math.max(...wide.split('\n').map((line) => line.length))).toBeGreaterThan(150)
  const narrow = textTable(header, rows, 80)
  expect(Math.max(...narrow.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80)
  expect(narrow).toMatch(/^page +https…[^ ]*post\/ /m) // cut, the path's end kept
  expect(narrow).toContain('0ae150a08faf') // the narrow columns stay whole
  expect(narrow).toContain('12.0 KiB')
  expect(narrow.split('\n')[0]).toMatch(/^scope {2}url +files {2}size {6}dns {6}infohash {6}torrent$/)
})
