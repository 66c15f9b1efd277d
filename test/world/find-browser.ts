// Where to find a browser that can load an unpacked extension, on this machine or a user's.
// Branded Google Chrome ignores --load-extension, so it is never picked.
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

export function findChromium (): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', playwrightChromium()]
  const found = candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path))
  if (found !== undefined) return found
  throw new Error('No Chromium found. Install one (Debian/Ubuntu: `apt-get install chromium`; elsewhere: ' +
    '`npx playwright install chromium`) or set CHROMIUM_PATH. Branded Google Chrome cannot load the extension.')
}

export function findFirefox (): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox']
  const found = candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path))
  if (found !== undefined) return found
  throw new Error('No Firefox found. Install one (Debian: `apt-get install firefox-esr`) or set FIREFOX_PATH.')
}

function playwrightChromium (): string | undefined {
  try {
    return chromium.executablePath()
  } catch {
    return undefined
  }
}
