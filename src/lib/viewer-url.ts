// The viewer's address carries the page the user wanted, so reload, back and forward keep it.
export const VIEWER_PAGE = 'src/viewer/viewer.html'

/** `handoff`: the prefetch host holds the copy already (lib/handoff.ts); the viewer asks it first. */
export function viewerUrl (extensionRoot: string, original: string, { handoff = false } = {}): string {
  return `${extensionRoot}${VIEWER_PAGE}?url=${encodeURIComponent(original)}${handoff ? '&handoff=1' : ''}`
}

export function wantsHandoff (search: string): boolean {
  return new URLSearchParams(search).get('handoff') === '1'
}

/** The original http(s) URL from the viewer's query string, or null. */
export function originalUrl (search: string): string | null {
  const url = new URLSearchParams(search).get('url')
  return url !== null && /^https?:\/\//i.test(url) && URL.canParse(url) ? url : null
}
