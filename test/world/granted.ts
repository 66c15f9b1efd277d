// The test world's reader has granted the permissions Peerback asks for only when a feature needs
// them (src/lib/optional-permissions.ts): neither browser lets an automated test answer its
// permission prompt, so the extension is loaded from a copy whose manifest holds them already. A
// request for a permission the extension holds succeeds at once, without a prompt: the features
// run their own code path. Tests of the prompt itself load the built extension as it ships.
import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Copies the built extension in `from` to `to`, with its optional permissions granted. */
export async function withPermissionsGranted (from: string, to: string): Promise<string> {
  await cp(from, to, { recursive: true })
  const path = join(to, 'manifest.json')
  const manifest = JSON.parse(await readFile(path, 'utf8')) as { permissions?: string[], optional_permissions?: string[] }
  manifest.permissions = [...manifest.permissions ?? [], ...manifest.optional_permissions ?? []]
  delete manifest.optional_permissions
  await writeFile(path, JSON.stringify(manifest, null, 2))
  return to
}
