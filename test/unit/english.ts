// The English catalog as a Translate, the way browser.i18n fills named placeholders and $1…$9 and
// lib/i18n.ts picks plural forms and writes numbers: pure modules get their real words in unit
// tests, and a missing message fails loudly.
import { readFileSync } from 'node:fs'
import type { Translate } from '../../src/lib/i18n-keys.ts'
import { pluralName } from '../../src/lib/plural.ts'
import { formatNumber } from '../../src/protocol/format.ts'

export interface CatalogEntry { message: string, placeholders?: Record<string, { content: string }> }
export type Catalog = Record<string, CatalogEntry>

export const readCatalog = (locale: string): Catalog =>
  JSON.parse(readFileSync(new URL(`../../public/_locales/${locale}/messages.json`, import.meta.url), 'utf8')) as Catalog

/** What browser.i18n.getMessage gives for `entry` with `substitutions`. */
export function fill (entry: CatalogEntry, substitutions: string[]): string {
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) =>
    Object.entries(entry.placeholders ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1].content ?? whole)
  return named.replace(/\$(\d)/g, (_, index: string) => substitutions[Number(index) - 1] ?? '')
}

export function translator (locale: string): Translate {
  const catalog = readCatalog(locale)
  return (name, ...substitutions) => {
    const chosen = pluralName(name, substitutions[0], locale, (key) => key in catalog)
    const entry = catalog[chosen]
    if (entry === undefined) throw new Error(`no ${locale} message "${chosen}"`)
    return fill(entry, substitutions.map((value) => typeof value === 'number' ? formatNumber(value, locale, 2) : value))
  }
}

export const english: Translate = translator('en')
