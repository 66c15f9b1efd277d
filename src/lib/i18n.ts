// Every string a user sees comes from _locales/<lang>/messages.json (browser.i18n); the names and
// the translator's shape are in lib/i18n-keys.ts.
import browser from 'webextension-polyfill'
import type { I18nKey, Translate } from './i18n-keys'

export const t: Translate = (name, ...substitutions) =>
  browser.i18n.getMessage(name, substitutions.map(String)) || name

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
