// The browser's permissions API for lib/optional-permissions.ts.
import browser from 'webextension-polyfill'
import type { PermissionsApi } from './optional-permissions'

/** The browser's own, with the permissions the manifest left to be asked for later. */
export function browserPermissions (): { api: PermissionsApi, optional: string[] } {
  const ask = (permissions: { permissions: string[] }): browser.Permissions.Permissions => permissions as browser.Permissions.Permissions
  return {
    api: {
      contains: async (permissions) => await browser.permissions.contains(ask(permissions)),
      // Not async: the request must leave during the reader's click.
      request: (permissions) => browser.permissions.request(ask(permissions))
    },
    optional: browser.runtime.getManifest().optional_permissions ?? []
  }
}
