// The figures of the run before, beside the new ones: docs/benchmarks.md is read before it is
// rewritten, and each row of its summary table lends its measured value and ratio, by benchmark name.
// `tsx bench/previous-run.ts OLD.md NEW.md` merges two written files (a run made before this existed).
import { readFile, writeFile } from 'node:fs/promises'

export interface PreviousRun { when: string, rows: Map<string, { measured: string, ratio: string }> }

/** The summary of a docs/benchmarks.md, or null for anything else. */
export function readPreviousRun (markdown: string): PreviousRun | null {
  const when = /^Written by `npm run bench`[^\n]*? on (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC/m.exec(markdown)?.[1]
  if (when === undefined) return null
  const rows = new Map<string, { measured: string, ratio: string }>()
  for (const line of markdown.split('\n')) {
    const cells = line.split(' | ')
    if (!line.startsWith('| ') || cells.length < 6 || line.startsWith('| benchmark |')) continue
    const [benchmark, measured, , ratio] = cells
    if (benchmark === undefined || measured === undefined || ratio === undefined) continue
    rows.set(benchmark.slice(2), { measured, ratio })
  }
  return rows.size === 0 ? null : { when, rows }
}

/** The summary table's header and rows, with the previous run's column when there was one. */
export function summaryTable (rows: Array<{ benchmark: string, cells: string[] }>, previous: PreviousRun | null): string {
  const header = ['benchmark', 'measured, median (min–max)', 'compared with', 'ratio / delta', ...(previous === null ? [] : [`previous run (${previous.when} UTC)`]), 'target', 'met']
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [
    line(header),
    line(header.map(() => '---')).replace(/ /g, ''),
    ...rows.map(({ benchmark, cells }) => {
      const before = previous?.rows.get(benchmark)
      const [measured, compared, ratio, ...rest] = cells
      const earlier = previous === null ? [] : [before === undefined ? '–' : `${before.measured}; ${before.ratio}`]
      return line([benchmark, measured ?? '', compared ?? '', ratio ?? '', ...earlier, ...rest])
    })
  ].join('\n')
}

if (process.argv[1]?.endsWith('previous-run.ts') === true) {
  const [oldPath, newPath] = process.argv.slice(2)
  if (oldPath === undefined || newPath === undefined) throw new Error('usage: tsx bench/previous-run.ts OLD.md NEW.md')
  const previous = readPreviousRun(await readFile(oldPath, 'utf8'))
  const current = await readFile(newPath, 'utf8')
  const lines = current.split('\n')
  const first = lines.findIndex((text) => text.startsWith('| benchmark |'))
  let last = first
  while (lines[last + 1]?.startsWith('|') === true) last++
  const rows = lines.slice(first + 2, last + 1).map((text) => {
    const cells = text.slice(2, -2).split(' | ')
    return { benchmark: cells[0] ?? '', cells: cells.slice(1) }
  })
  lines.splice(first, last - first + 1, summaryTable(rows, previous))
  await writeFile(newPath, lines.join('\n'))
}
