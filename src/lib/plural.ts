// Messages that count something come in plural forms, one per CLDR category the language has
// (`name_one`, `name_other`, and `_few`, `_many`… where a language needs them); the count is the
// message's first substitution. Pure: lib/i18n.ts asks the browser's catalog, tests the English one.

export const PLURAL_CATEGORIES: readonly Intl.LDMLPluralRule[] = ['zero', 'one', 'two', 'few', 'many', 'other']

/** The message to use for `name` with `count`: its plural form when it has plural forms, else itself. */
export function pluralName (name: string, count: unknown, locale: string, has: (name: string) => boolean): string {
  if (typeof count !== 'number' || !has(`${name}_other`)) return name
  const form = `${name}_${new Intl.PluralRules(locale).select(count)}`
  return has(form) ? form : `${name}_other`
}
