// A plain-text table for terminal summaries: columns padded to their widest cell, and, when the
// table is wider than the terminal, its widest columns cut with an ellipsis (`https…/about/`)
// until it fits; narrowest first never goes below its title.
export function textTable (header: string[], rows: string[][], maxWidth = Number.POSITIVE_INFINITY): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const total = (): number => widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1)
  const floor = header.map((title) => Math.max(title.length, 8))
  while (total() > maxWidth) {
    let widest = -1
    widths.forEach((width, column) => { if (width > (floor[column] ?? 0) && (widest < 0 || width > (widths[widest] ?? 0))) widest = column })
    if (widest < 0) break
    widths[widest] = (widths[widest] ?? 0) - 1
  }
  const line = (cells: string[]): string => cells.map((cell, column) => fit(cell, widths[column] ?? 0).padEnd(widths[column] ?? 0)).join('  ').trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

/** The terminal's width, or no limit when the output is a file or a pipe (logs keep every character). */
export const terminalWidth = (): number => process.stdout.isTTY ? process.stdout.columns : Number.POSITIVE_INFINITY

/** `text` in at most `width` characters, cut with an ellipsis; the end (a path's last part) keeps more. */
function fit (text: string, width: number): string {
  if (text.length <= width) return text
  const head = Math.ceil((width - 1) / 3)
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`
}
