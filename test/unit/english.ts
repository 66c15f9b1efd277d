// The English catalog as a Translate, the way browser.i18n fills $1…$9: pure modules get their
// real words in unit tests, and a missing message fails loudly.
import { readFileSync } from 'node:fs'
import type { Translate } from '../../src/lib/i18n-keys.ts'

const catalog = JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, { message: string }>

export const english: Translate = (name, ...substitutions) => {
  const entry = catalog[name]
  if (entry === undefined) throw new Error(`no English message "${name}"`)
  return entry.message.replace(/\$(\d)/g, (_, index: string) => String(substitutions[Number(index) - 1] ?? ''))
}
