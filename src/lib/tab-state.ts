// The per-tab failover state machine (docs/design.md):
// idle → watching → looking-up → fetching → showing → seeding, plus no-copy, offered and error.
import type { Trigger } from './records'

export type Phase =
  | 'watching'
  | 'looking-up'
  | 'no-copy'
  /** A copy exists, but automatic failover is off: the popup offers it. */
  | 'offered'
  | 'fetching'
  | 'showing'
  | 'seeding'
  | 'error'

export interface TabState {
  phase: Phase
  /** The page the user wanted. */
  url: string
  since: number
  /** For no-copy and error: why, in words a user can act on. */
  message?: string
  /** For looking-up: the background instance doing the lookup (a stopped worker takes it along). */
  worker?: string
  /** For looking-up: what made the page a candidate, so a later instance resumes the same lookup. */
  trigger?: Trigger
}

const NEXT: Record<Phase, Phase[]> = {
  watching: ['looking-up', 'offered', 'fetching', 'watching'],
  'looking-up': ['no-copy', 'offered', 'fetching', 'error', 'watching'],
  'no-copy': ['watching', 'looking-up'],
  offered: ['fetching', 'watching', 'looking-up'],
  fetching: ['showing', 'seeding', 'error', 'watching', 'looking-up'],
  showing: ['seeding', 'showing', 'error', 'watching', 'looking-up', 'fetching'],
  seeding: ['showing', 'seeding', 'error', 'watching', 'looking-up', 'fetching'],
  error: ['watching', 'looking-up', 'fetching']
}

/** Whether a tab may move from one phase to another; a fresh navigation always starts over. */
export function canMove (from: Phase | null, to: Phase): boolean {
  return from === null || to === 'watching' || to === 'looking-up' || NEXT[from].includes(to)
}
