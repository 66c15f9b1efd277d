// Every message a page names in its markup exists in the English catalog (t() calls are checked
// by the compiler against the same file), and every translation has every message, in the plural
// forms of its language, with the same placeholders.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { PLURAL_CATEGORIES } from '../../src/lib/plural.ts'
import { readCatalog, translator, type Catalog, type CatalogEntry } from './english.ts'

const catalog = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, { message: string }>

function htmlFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? htmlFiles(join(dir, entry.name)) : entry.name.endsWith('.html') ? [join(dir, entry.name)] : [])
}

test('every data-i18n key in the pages has English words', () => {
  const keys = htmlFiles('src').flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/data-i18n(?:-title|-aria-label)?="([^"]+)"/g)].map((match) => match[1]))
  expect(keys.length).toBeGreaterThan(20)
  expect(keys.filter((key) => key === undefined || catalog[key] === undefined)).toEqual([])
})

test('the manifest takes its name and description from the catalog', () => {
  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>
  expect(manifest).toMatchObject({ name: '__MSG_extName__', description: '__MSG_extDescription__', default_locale: 'en' })
  expect(catalog.extName?.message).toBe('Peerback')
})

const LOCALES = readdirSync('public/_locales').filter((locale) => locale !== 'en')
const placeholdersOf = (entry: CatalogEntry): string[] => Object.keys(entry.placeholders ?? {}).map((name) => `${name}=${entry.placeholders?.[name]?.content}`).sort()
const usedIn = (entry: CatalogEntry): string[] => [...new Set([...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((match) => (match[1] ?? '').toLowerCase()))].sort()
const pluralBase = (key: string): string | null => PLURAL_CATEGORIES.map((category) => `_${category}`).some((ending) => key.endsWith(ending)) ? key.slice(0, key.lastIndexOf('_')) : null

test('the four translations are there: German, French, Spanish and Japanese', () => {
  expect(LOCALES.sort()).toEqual(['de', 'es', 'fr', 'ja'])
})

test('every English message fills its blanks with named placeholders, never bare $1 in the text', () => {
  for (const [key, entry] of Object.entries(catalog as Catalog)) {
    expect(entry.message, key).not.toMatch(/\$\d/)
    expect(usedIn(entry), key).toEqual(Object.keys(entry.placeholders ?? {}).sort())
  }
})

test.each(LOCALES)('%s has every message, in every plural form its language has, with the same placeholders', (locale) => {
  const english = catalog as Catalog
  const translated = readCatalog(locale)
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories
  const expected = new Set<string>()
  for (const key of Object.keys(english)) {
    const base = pluralBase(key)
    if (base === null) expected.add(key)
    else for (const category of categories) expected.add(`${base}_${category}`)
  }
  expect(Object.keys(translated).sort()).toEqual([...expected].sort())
  for (const [key, entry] of Object.entries(translated)) {
    const source = english[key] ?? english[`${pluralBase(key) ?? key}_other`]
    if (source === undefined) throw new Error(`${locale}: ${key} has no English source`)
    expect(placeholdersOf(entry), `${locale}: ${key}`).toEqual(placeholdersOf(source))
    expect(usedIn(entry), `${locale}: ${key}`).toEqual(usedIn(source))
    expect(entry.message.trim(), `${locale}: ${key}`).not.toBe('')
  }
})

test('a counting message picks the plural form of its language, and writes the number its way', () => {
  expect(translator('en')('notSavedFields', 1)).toBe('Nothing was saved: 1 field needs a look (marked above).')
  expect(translator('en')('kindMirrors', 3)).toBe('3 mirrors')
  expect(translator('de')('kindMirrors', 1)).toMatch(/^1 /)
  expect(translator('fr')('badgeSeedingPeers', 1200)).toMatch(/1\u202f200/)
  expect(translator('ja')('kindMirrors', 2)).toMatch(/2/)
})
