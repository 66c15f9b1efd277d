// The options page's fields, grouped as the page shows them. Each field names the setting it
// edits, how it is typed, and its label and one-line explanation in _locales.
import type { I18nKey } from '../lib/i18n-keys'
import type { Settings } from '../lib/settings'

export type FieldKind =
  | 'checkbox'
  | 'number'
  | 'url'
  /** Comma-separated numbers. */
  | 'numbers'
  /** One entry per line. */
  | 'lines'

export interface Field {
  key: Exclude<keyof Settings, 'version'>
  kind: FieldKind
  label: I18nKey
  hint: I18nKey
  /** The stored value is the shown one times this (MiB shown, bytes stored). */
  scale?: number
  step?: number
}

/** `advanced`: shown behind the "Advanced settings" disclosure. */
export interface Group { title: I18nKey, intro?: I18nKey[], fields: Field[], advanced?: true }

export const GROUPS: Group[] = [
  {
    title: 'groupFailover',
    fields: [
      { key: 'autoFailover', kind: 'checkbox', label: 'labelAutoFailover', hint: 'hintAutoFailover' },
      { key: 'failoverOnSlow', kind: 'checkbox', label: 'labelFailoverOnSlow', hint: 'hintFailoverOnSlow' },
      { key: 'archiveAuto', kind: 'checkbox', label: 'labelArchiveAuto', hint: 'hintArchiveAuto' }
    ]
  },
  {
    title: 'groupSeeding',
    fields: [
      { key: 'shareWhileReading', kind: 'checkbox', label: 'labelShareWhileReading', hint: 'hintShareWhileReading' },
      { key: 'ratioTarget', kind: 'number', label: 'labelRatioTarget', hint: 'hintRatioTarget', step: 0.1 },
      { key: 'uploadLimitKiBps', kind: 'number', label: 'labelUploadLimit', hint: 'hintUploadLimit', step: 1 }
    ]
  },
  {
    title: 'groupKeepSharing',
    fields: [
      { key: 'keepSharing', kind: 'checkbox', label: 'labelKeepSharing', hint: 'hintKeepSharing' },
      { key: 'keepDiskBytes', kind: 'number', label: 'labelKeepDisk', hint: 'hintKeepDisk', scale: 1024 * 1024, step: 1 },
      { key: 'keepUploadBytesPerDay', kind: 'number', label: 'labelKeepUpload', hint: 'hintKeepUpload', scale: 1024 * 1024, step: 1 },
      { key: 'keepSites', kind: 'lines', label: 'labelKeepSites', hint: 'hintKeepSites' },
      { key: 'keepWarmBelowSeeders', kind: 'number', label: 'labelKeepSeeders', hint: 'hintKeepSeeders', step: 1 }
    ]
  },
  {
    title: 'groupPrivacy',
    intro: ['privacyNothingToUs', 'privacyDnsGoesToResolver', 'privacyTorrentFetch', 'privacyPeersSeeIp', 'privacyKeepSharing', 'privacyStunMirrors', 'privacyArchive', 'privacyProbe', 'privacyNegotiation'],
    fields: [
      { key: 'dohResolver', kind: 'url', label: 'labelResolver', hint: 'hintResolver' },
      { key: 'archiveUrl', kind: 'url', label: 'labelArchiveUrl', hint: 'hintArchiveUrl' }
    ]
  },
  {
    title: 'groupSites',
    fields: [
      { key: 'offSites', kind: 'lines', label: 'labelOffSites', hint: 'hintOffSites' }
    ]
  },
  {
    title: 'groupAdvancedFailover',
    advanced: true,
    fields: [
      { key: 'slowThresholdSeconds', kind: 'number', label: 'labelSlowThreshold', hint: 'hintSlowThreshold', step: 1 },
      { key: 'failoverStatuses', kind: 'numbers', label: 'labelFailoverStatuses', hint: 'hintFailoverStatuses' },
      { key: 'maxCopyBytes', kind: 'number', label: 'labelMaxCopy', hint: 'hintMaxCopy', scale: 1024 * 1024, step: 1 },
      { key: 'allowPrivateHosts', kind: 'checkbox', label: 'labelPrivateHosts', hint: 'hintPrivateHosts' }
    ]
  },
  {
    title: 'groupDiscovery',
    advanced: true,
    fields: [
      { key: 'prewarmPointers', kind: 'checkbox', label: 'labelPrewarm', hint: 'hintPrewarm' },
      { key: 'advertiseTorrent', kind: 'checkbox', label: 'labelAdvertise', hint: 'hintAdvertise' },
      { key: 'extraTrackers', kind: 'lines', label: 'labelExtraTrackers', hint: 'hintExtraTrackers' },
      { key: 'iceServers', kind: 'lines', label: 'labelIceServers', hint: 'hintIceServers' }
    ]
  }
]

/** What a field shows for a stored value. */
export function shownValue (field: Field, value: unknown): string | boolean {
  if (field.kind === 'checkbox') return value === true
  if (field.kind === 'number') return String(Number(value) / (field.scale ?? 1))
  if (field.kind === 'numbers') return (value as number[]).join(', ')
  if (field.kind === 'lines') return (value as string[]).join('\n')
  return String(value)
}

/** The value to store for what a field shows (validation comes after, on the whole value). */
export function storedValue (field: Field, shown: string | boolean): unknown {
  if (field.kind === 'checkbox') return shown === true
  const text = String(shown).trim()
  if (field.kind === 'number') return text === '' ? Number.NaN : field.scale === undefined ? Number(text) : Math.round(Number(text) * field.scale)
  if (field.kind === 'numbers') return text === '' ? [] : text.split(/[\s,]+/).filter((part) => part !== '').map(Number)
  if (field.kind === 'lines') return text.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  return text
}

/**
 * Only what the reader changed on the page since `shown` was loaded: a save never writes back a
 * value someone else changed meanwhile (the popup's "off for this site", another options tab).
 */
export function changedFields (shown: Settings, patch: Partial<Settings>): Partial<Settings> {
  return Object.fromEntries(Object.entries(patch).filter(([key, value]) =>
    JSON.stringify(value) !== JSON.stringify(shown[key as keyof Settings])))
}
