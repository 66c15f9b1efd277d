// Progress on a terminal while the publisher hashes a large site: a bar redrawn in place on a TTY,
// a line every tenth otherwise (logs, CI), nothing for work that is over in a blink.
import { formatBytes } from '../protocol/format'

export function renderBar (done: number, total: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1
  const filled = Math.round(fraction * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(done)} of ${formatBytes(total)}`
}

export interface Progress {
  update: (done: number, total: number) => void
  done: () => void
}

/** Shows nothing until `delayMs` has passed, so quick runs stay quiet. */
export function progressOn (stream: NodeJS.WriteStream, label: string, { delayMs = 500, now = Date.now } = {}): Progress {
  const started = now()
  let lastTenth = -1
  let drawn = false
  return {
    update (done, total) {
      if (now() - started < delayMs) return
      const line = `${label} ${renderBar(done, total)}`
      if (stream.isTTY === true) {
        stream.write(`\r${line}`)
        drawn = true
        return
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10
      if (tenth > lastTenth) {
        lastTenth = tenth
        stream.write(`${line}\n`)
      }
    },
    done () {
      if (drawn) stream.write('\n')
      drawn = false
    }
  }
}
