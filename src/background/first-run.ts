// The first-run page (src/welcome/), opened once per profile: on the first install, never on an
// update. A browser started with the extension on its command line reports every launch as an
// install, so whether it was shown is kept in storage.local; what was decided is left in
// storage.session (`first-run`), where tests read it.
import browser from 'webextension-polyfill'

const SHOWN = 'welcomeShown'
const WELCOME_PAGE = 'src/welcome/welcome.html'

export async function firstRun (reason: browser.Runtime.OnInstalledReason): Promise<void> {
  const seen = reason !== 'install' || (await browser.storage.local.get(SHOWN))[SHOWN] === true
  if (!seen) {
    await browser.storage.local.set({ [SHOWN]: true })
    await browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) })
  }
  await browser.storage.session.set({ 'first-run': seen ? 'not shown' : 'shown' })
}
