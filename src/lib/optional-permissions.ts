// Permissions asked for only when the reader turns on what needs them (PRIVACY.md, Permissions).
// "Advertise torrent support to sites" rewrites a request header (declarativeNetRequest) and drops
// the browser's download of a torrent a site answers with (downloads); saving a file from peers
// uses the downloads API when it is granted, and a plain link download otherwise.
export type OptionalFeature = 'advertiseTorrent' | 'saveFiles'

const NEEDS: Record<OptionalFeature, string[]> = {
  advertiseTorrent: ['declarativeNetRequestWithHostAccess', 'downloads'],
  saveFiles: ['downloads']
}

/** The browser's permissions API, as much as this needs (browser.permissions has it). */
export interface PermissionsApi {
  contains: (permissions: { permissions: string[] }) => Promise<boolean>
  request: (permissions: { permissions: string[] }) => Promise<boolean>
}

/**
 * The permissions `feature` needs that the manifest left to be asked for later: a browser that
 * grants one at install (Firefox, header rules) is not asked for it again.
 */
export function laterPermissions (feature: OptionalFeature, optional: readonly string[]): string[] {
  return NEEDS[feature].filter((permission) => optional.includes(permission))
}

export async function hasPermissions (api: PermissionsApi, feature: OptionalFeature, optional: readonly string[]): Promise<boolean> {
  const permissions = laterPermissions(feature, optional)
  return permissions.length === 0 || await api.contains({ permissions })
}

/**
 * Asks for what `feature` needs. Call it straight from the reader's click: browsers grant a request
 * only during a user gesture. A refusal, or a browser that will not ask, is `false`.
 */
export function askPermissions (api: PermissionsApi, feature: OptionalFeature, optional: readonly string[]): Promise<boolean> {
  const permissions = laterPermissions(feature, optional)
  if (permissions.length === 0) return Promise.resolve(true)
  return api.request({ permissions }).catch(() => false)
}
