// Messages between the viewer and the sandbox frame that renders a copy. Everything that comes
// from the sandbox is untrusted: the copy's own scripts run there and can post anything.

export type ToSandbox =
  | { type: 'render', pageUrl: string, html: ArrayBuffer }
  | { type: 'file', id: number, bytes: ArrayBuffer | null }

export type FromSandbox =
  /** The sandbox wants the file at this path of the site (resolved against the page's URL). */
  | { type: 'need', id: number, path: string }
  | { type: 'rendered', scriptsRan: boolean }
  /** A link was followed: another page of the site, or elsewhere. */
  | { type: 'navigate', url: string }

export function isToSandbox (data: unknown): data is ToSandbox {
  if (typeof data !== 'object' || data === null) return false
  const message = data as Record<string, unknown>
  if (message.type === 'render') return typeof message.pageUrl === 'string' && message.html instanceof ArrayBuffer
  if (message.type === 'file') return typeof message.id === 'number' && (message.bytes === null || message.bytes instanceof ArrayBuffer)
  return false
}

export function isFromSandbox (data: unknown): data is FromSandbox {
  if (typeof data !== 'object' || data === null) return false
  const message = data as Record<string, unknown>
  switch (message.type) {
    case 'need': return typeof message.id === 'number' && typeof message.path === 'string'
    case 'rendered': return typeof message.scriptsRan === 'boolean'
    case 'navigate': return typeof message.url === 'string'
    default: return false
  }
}
