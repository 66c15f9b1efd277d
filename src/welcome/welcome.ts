// The first-run page: what Peerback does, who sees what while it works, and the choices that
// matter, each stating its default and saved as soon as it changes. Opened once per profile by the
// background (first-run.ts); the options page links to it again ("About and privacy").
import { localize, t } from '../lib/i18n'
import { send } from '../lib/messages'
import { DEFAULT_SETTINGS, PUBLIC_RESOLVERS, type Settings } from '../lib/settings'

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
const share = $<HTMLInputElement>('share')
const keep = $<HTMLInputElement>('keep')
const stunOn = $<HTMLInputElement>('stun-on')
const stunOff = $<HTMLInputElement>('stun-off')
const resolver = $<HTMLSelectElement>('resolver')
const archive = $<HTMLInputElement>('archive')

function show (settings: Settings): void {
  share.checked = settings.shareWhileReading
  keep.checked = settings.keepSharing
  stunOn.checked = settings.iceServers.length > 0
  stunOff.checked = settings.iceServers.length === 0
  archive.checked = settings.archiveAuto
  const options = Object.entries(PUBLIC_RESOLVERS).map(([name, url]) =>
    new Option(url === DEFAULT_SETTINGS.dohResolver ? t('welcomeResolverDefault', name) : name, url))
  // A resolver of the reader's own stays what it is, and listed.
  if (!options.some((option) => option.value === settings.dohResolver)) options.push(new Option(settings.dohResolver, settings.dohResolver))
  resolver.replaceChildren(...options)
  resolver.value = settings.dohResolver
}

let current: Settings | null = null

async function save (patch: Partial<Settings>): Promise<void> {
  const result = await send('background', 'updateSettings', patch)
  $('saved').textContent = result.ok ? t('saved') : result.message
  if (result.ok) current = result.settings
}

share.addEventListener('change', () => { void save({ shareWhileReading: share.checked }) })
keep.addEventListener('change', () => { void save({ keepSharing: keep.checked }) })
archive.addEventListener('change', () => { void save({ archiveAuto: archive.checked }) })
resolver.addEventListener('change', () => { void save({ dohResolver: resolver.value }) })
for (const radio of [stunOn, stunOff]) {
  radio.addEventListener('change', () => {
    // Turning STUN back on restores the reader's own servers if they had any, else the defaults.
    const servers = current !== null && current.iceServers.length > 0 ? current.iceServers : DEFAULT_SETTINGS.iceServers
    void save({ iceServers: stunOn.checked ? servers : [] })
  })
}

localize(document)
send('background', 'settings', {}).then((settings) => {
  current = settings
  show(settings)
}).catch((error: unknown) => { $('saved').textContent = `${t('settingsUnreadable')} ${String(error)}` })
