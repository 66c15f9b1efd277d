// Every message a page names in its markup exists in the English catalog (t() calls are checked
// by the compiler against the same file).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const catalog = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, { message: string }>

function htmlFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? htmlFiles(join(dir, entry.name)) : entry.name.endsWith('.html') ? [join(dir, entry.name)] : [])
}

test('every data-i18n key in the pages has English words', () => {
  const keys = htmlFiles('src').flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/data-i18n(?:-title|-aria-label)?="([^"]+)"/g)].map((match) => match[1]))
  expect(keys.length).toBeGreaterThan(20)
  expect(keys.filter((key) => key === undefined || catalog[key] === undefined)).toEqual([])
})

test('the manifest takes its name and description from the catalog', () => {
  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>
  expect(manifest).toMatchObject({ name: '__MSG_extName__', description: '__MSG_extDescription__', default_locale: 'en' })
  expect(catalog.extName?.message).toBe('Peerback')
})
