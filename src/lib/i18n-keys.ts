// The names of the strings a user sees (public/_locales/en/messages.json), and the shape of a
// translator. Pure modules take a `Translate` instead of calling the browser (lib/i18n.ts), so unit
// tests give them the English catalog and shared layers stay free of extension APIs.
import type catalog from '../../public/_locales/en/messages.json'

type CatalogKey = keyof typeof catalog
type PluralForm = `${string}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`
/** A message with plural forms (lib/plural.ts) is named without its `_one`/`_other` ending. */
type PluralBase<K> = K extends `${infer Base}_other` ? Base : never

export type I18nKey = Exclude<CatalogKey, PluralForm> | PluralBase<CatalogKey>
/** Numbers are written the language's way; a counting message's first number picks its plural form. */
export type Translate = (name: I18nKey, ...substitutions: Array<string | number>) => string
