// Summaries of benchmark samples: medians with their range, never means (one slow outlier on a
// shared machine says nothing about the code).

export interface Summary { median: number, min: number, max: number, runs: number }

export function summarize (samples: number[]): Summary {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 }
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle] as number : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs: sorted.length }
}

export const median = (samples: number[]): number => summarize(samples).median

/** The value `p` (0–1) of the way up the sorted samples (nearest rank). */
export function percentile (samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN
}

/** `812 ms (640–1 020)` and the like. */
export function formatSummary (summary: Summary, unit: string, digits = 0): string {
  const number = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, ' ')
  return `${number(summary.median)} ${unit} (${number(summary.min)}–${number(summary.max)})`
}
