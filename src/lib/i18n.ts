// Every string a user sees comes from _locales/<lang>/messages.json (browser.i18n); the names and
// the translator's shape are in lib/i18n-keys.ts.
import browser from 'webextension-polyfill'
import { formatNumber } from '../protocol/format'
import type { I18nKey, Translate } from './i18n-keys'
import { pluralName } from './plural'

const has = (name: string): boolean => browser.i18n.getMessage(name) !== ''

export const t: Translate = (name, ...substitutions) => {
  const locale = browser.i18n.getUILanguage()
  const text = substitutions.map((value) => typeof value === 'number' ? formatNumber(value, locale, 2) : value)
  return browser.i18n.getMessage(pluralName(name, substitutions[0], locale, has), text) || name
}

/**
 * A whole message with elements in it (a link, a button) where its placeholders are: the pieces to
 * put in its container, so no sentence is glued together from fragments in code.
 */
export function tElements (name: I18nKey, ...substitutions: Array<string | number | Node>): Array<string | Node> {
  const nodes = substitutions.filter((value): value is Node => typeof value === 'object')
  const marked = substitutions.map((value) => typeof value === 'object' ? String.fromCharCode(0xE000 + nodes.indexOf(value)) : value)
  return t(name, ...marked).split(/([\uE000-\uE0FF])/).filter((part) => part !== '')
    .map((part) => /^[\uE000-\uE0FF]$/.test(part) ? nodes[part.charCodeAt(0) - 0xE000] ?? part : part)
}

/**
 * Fills elements marked data-i18n (text), data-i18n-title and data-i18n-aria-label; a whole
 * document also takes the interface's language and writing direction.
 */
export function localize (root: ParentNode): void {
  if (root instanceof Document) {
    root.documentElement.lang = browser.i18n.getUILanguage()
    root.documentElement.dir = browser.i18n.getMessage('@@bidi_dir') || 'ltr'
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n], [data-i18n-title], [data-i18n-aria-label]')) {
    const { i18n, i18nTitle, i18nAriaLabel } = element.dataset
    if (i18n !== undefined) element.textContent = t(i18n as I18nKey)
    if (i18nTitle !== undefined) element.title = t(i18nTitle as I18nKey)
    if (i18nAriaLabel !== undefined) element.setAttribute('aria-label', t(i18nAriaLabel as I18nKey))
  }
}
