// The options page: one form over every setting, grouped. Each field is checked on its own, and
// a refused value is named beside its field; nothing is stored until every field is valid, so a
// stored value is never replaced by a bad one.
import { localize, t } from '../lib/i18n'
import type { I18nKey } from '../lib/i18n-keys'
import { send } from '../lib/messages'
import { browserPermissions } from '../lib/browser-permissions'
import { describeSharing } from '../lib/kept'
import { askPermissions } from '../lib/optional-permissions'
import { DEFAULT_SETTINGS, PUBLIC_RESOLVERS, settingsProblem, type Settings } from '../lib/settings'
import type { SaveResult } from '../lib/settings-store'
import { changedFields, GROUPS, shownValue, storedValue, type Field } from './fields'

const form = document.getElementById('settings') as HTMLFormElement
const saved = document.getElementById('saved') as HTMLElement
const controls = new Map<Field, HTMLInputElement | HTMLTextAreaElement>()

function paragraph (className: string, key: I18nKey | null, id?: string): HTMLParagraphElement {
  const p = document.createElement('p')
  p.className = className
  if (key !== null) p.textContent = t(key)
  if (id !== undefined) p.id = id
  return p
}

function control (field: Field): HTMLInputElement | HTMLTextAreaElement {
  if (field.kind === 'lines') return document.createElement('textarea')
  const input = document.createElement('input')
  input.type = field.kind === 'checkbox' ? 'checkbox' : field.kind === 'number' ? 'number' : field.kind === 'url' ? 'url' : 'text'
  if (field.kind === 'number') {
    input.min = '0'
    input.step = String(field.step ?? 'any')
  }
  if (field.key === 'dohResolver') {
    // The presets, offered as suggestions; any https URL (or a loopback http one) is accepted.
    const presets = document.createElement('datalist')
    presets.id = 'resolver-presets'
    for (const [name, url] of Object.entries(PUBLIC_RESOLVERS)) presets.append(Object.assign(document.createElement('option'), { value: url, label: name }))
    document.body.append(presets)
    input.setAttribute('list', presets.id)
  }
  return input
}

function build (): void {
  const advanced = document.createElement('details')
  advanced.id = 'advanced'
  const summary = document.createElement('summary')
  summary.textContent = t('advancedSettings')
  advanced.append(summary)
  for (const group of GROUPS) {
    const fieldset = document.createElement('fieldset')
    const legend = document.createElement('legend')
    legend.textContent = t(group.title)
    fieldset.append(legend, ...(group.intro ?? []).map((key) => paragraph('intro', key)))
    for (const field of group.fields) {
      const id = `field-${field.key}`
      const input = control(field)
      input.id = id
      input.name = field.key
      input.setAttribute('aria-describedby', `${id}-hint ${id}-problem`)
      const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: t(field.label) })
      const row = document.createElement('div')
      row.className = `field ${field.kind}`
      if (field.kind === 'checkbox') row.append(input, ' ', label)
      else row.append(label, input)
      const problem = paragraph('problem', null, `${id}-problem`)
      // Not an alert each: the line beside Save says once how many fields need a look.
      problem.hidden = true
      row.append(paragraph('hint', field.hint, `${id}-hint`), problem)
      fieldset.append(row)
      controls.set(field, input)
    }
    const parent = group.advanced === true ? advanced : document.getElementById('groups')
    parent?.append(fieldset)
  }
  document.getElementById('groups')?.append(advanced)
}

/** The settings the form was filled from: a save sends only what differs from them. */
let loaded: Settings | null = null

function show (settings: Settings): void {
  loaded = settings
  // What "Export settings" saves: the settings as they are stored.
  const exported = document.getElementById('export') as HTMLAnchorElement
  exported.href = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(settings, null, 2))}`
  for (const [field, input] of controls) {
    const value = shownValue(field, settings[field.key])
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = value === true
    else input.value = String(value)
  }
}

function setProblem (field: Field, key: I18nKey | null): void {
  const input = controls.get(field)
  const problem = document.getElementById(`field-${field.key}-problem`) as HTMLElement
  problem.textContent = key === null ? '' : t(key)
  problem.hidden = key === null
  input?.setAttribute('aria-invalid', String(key !== null))
}

async function save (event: SubmitEvent): Promise<void> {
  event.preventDefault()
  const patch: Record<string, unknown> = {}
  let firstBad: HTMLElement | null = null
  let bad = 0
  for (const [field, input] of controls) {
    const shown = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value
    const value = storedValue(field, shown)
    const refused = settingsProblem({ [field.key]: value })
    setProblem(field, refused?.problem ?? null)
    if (refused !== null) {
      firstBad ??= input
      bad++
    } else {
      patch[field.key] = value
    }
  }
  if (firstBad !== null) {
    saved.textContent = t('notSavedFields', bad)
    const closed = firstBad.closest('details')
    if (closed !== null) closed.open = true
    firstBad.focus()
    return
  }
  const changes = loaded === null ? patch as Partial<Settings> : changedFields(loaded, patch)
  const result = await send('background', 'updateSettings', changes)
  if (result.ok) {
    show(result.settings)
    saved.textContent = t('saved')
  } else {
    const field = [...controls.keys()].find((candidate) => candidate.key === result.field)
    if (field !== undefined) setProblem(field, result.problem)
    saved.textContent = result.field === null ? result.message : t('notSaved')
  }
}

/**
 * Turning on a feature that needs a permission asks for it there and then, from the reader's click
 * (PRIVACY.md, Permissions); refused, the box goes back off and says why.
 */
function wirePermissions (): void {
  const { api, optional } = browserPermissions()
  for (const [field, input] of controls) {
    if (field.key !== 'advertiseTorrent' || !(input instanceof HTMLInputElement)) continue
    input.addEventListener('change', () => {
      if (!input.checked) return
      void askPermissions(api, 'advertiseTorrent', optional).then((granted) => {
        if (!granted) input.checked = false
        setProblem(field, granted ? null : 'permissionRefused')
      })
    })
  }
}

/** Import, reset and forgetting: each says what it did in the section's own status line. */
function wireData (): void {
  const status = document.getElementById('data-status') as HTMLElement
  const applied = (result: SaveResult, done: string): void => {
    if (result.ok) show(result.settings)
    status.textContent = result.ok ? done : result.field === null ? result.message : `${t('importRefused')} ${result.message}`
  }
  const file = document.getElementById('import') as HTMLInputElement
  file.addEventListener('change', () => {
    const chosen = file.files?.[0]
    if (chosen === undefined) return
    void chosen.text().then(async (text) => {
      let read: unknown
      try { read = JSON.parse(text) } catch { read = null }
      if (typeof read !== 'object' || read === null || Array.isArray(read)) {
        status.textContent = t('importNotSettings')
        return
      }
      const known = Object.fromEntries(Object.entries(read).filter(([key]) => key in DEFAULT_SETTINGS && key !== 'version'))
      applied(await send('background', 'updateSettings', known), t('imported'))
    }).finally(() => { file.value = '' })
  })
  const reset = document.getElementById('reset') as HTMLButtonElement
  const confirm = document.getElementById('reset-confirm') as HTMLButtonElement
  reset.addEventListener('click', () => { confirm.hidden = false; confirm.focus() })
  confirm.addEventListener('click', () => {
    confirm.hidden = true
    const defaults: Partial<Settings> = { ...DEFAULT_SETTINGS }
    delete defaults.version
    void send('background', 'updateSettings', defaults).then((result) => { applied(result, t('resetDone')) })
  })
  document.getElementById('forget')?.addEventListener('click', () => {
    void send('background', 'forgetSites', {}).then(({ pages, sites, pins }) => { status.textContent = t('forgotSites', sites, pages, pins) })
  })
}

/** What is kept and shared, with "Stop sharing all"; read again after each save and every few seconds. */
function wireSharing (): void {
  const status = document.getElementById('sharing-status') as HTMLElement
  const stop = document.getElementById('stop-sharing') as HTMLButtonElement
  const refresh = async (): Promise<void> => {
    const sharing = await send('background', 'sharing', {})
    status.textContent = describeSharing(sharing, t, navigator.language).join(' ')
    stop.hidden = sharing.pages === 0
  }
  stop.addEventListener('click', () => {
    void send('background', 'stopSharing', {}).then(async () => {
      await refresh()
      status.textContent = t('sharingStopped')
    })
  })
  form.addEventListener('submit', () => { setTimeout(() => { void refresh() }, 500) })
  void refresh()
  setInterval(() => { if (!document.hidden) void refresh() }, 5000)
}

localize(document)
build()
wireSharing()
wirePermissions()
wireData()
form.addEventListener('submit', (event) => { void save(event) })
send('background', 'settings', {}).then(show).catch((error: unknown) => { saved.textContent = `${t('settingsUnreadable')} ${String(error)}` })
