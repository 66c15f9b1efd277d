// The names of the strings a user sees (public/_locales/en/messages.json), and the shape of a
// translator. Pure modules take a `Translate` instead of calling the browser (lib/i18n.ts), so unit
// tests give them the English catalog and shared layers stay free of extension APIs.
import type catalog from '../../public/_locales/en/messages.json'

export type I18nKey = keyof typeof catalog
export type Translate = (name: I18nKey, ...substitutions: Array<string | number>) => string
