// What the background tells the prefetch host (the host answers with lib/messages.ts messages).
import type { FoundPointer } from './discovery'
import type { Settings } from './settings'
import type { Digests } from '../protocol/digests'

export type PrefetchCommand =
  | { to: 'prefetch', type: 'start', tabId: number, url: string, pointer: FoundPointer, forThisUrl: boolean, digests: Digests, settings: Settings }
  | { to: 'prefetch', type: 'cancel', tabId: number }

export function isPrefetchCommand (value: unknown): value is PrefetchCommand {
  if (typeof value !== 'object' || value === null) return false
  const command = value as PrefetchCommand
  return command.to === 'prefetch' && (command.type === 'start' || command.type === 'cancel') && Number.isInteger(command.tabId)
}
