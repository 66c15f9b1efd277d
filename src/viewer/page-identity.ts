// What the tab shows for a copy: the page's own title and icon, read from its document without
// running it (DOMParser neither runs scripts nor loads anything).

export interface PageIdentity {
  title: string | null
  /** The site path of the page's icon (its own `<link rel=icon>`, else `/favicon.ico`); null when it is not on the site. */
  iconPath: string | null
}

/** A page's title and icon are in its head, near the top: only this much of it is read. */
export const HEAD_BYTES = 64 * 1024

/**
 * The start of a document, as text: its head. A page of megabytes parsed whole for two elements
 * would keep tens of MiB of the viewer's memory while the copy is shown.
 */
export function headOf (html: ArrayBuffer): string {
  return new TextDecoder().decode(new Uint8Array(html, 0, Math.min(html.byteLength, HEAD_BYTES)))
}

export function pageIdentity (html: ArrayBuffer, pageUrl: string): PageIdentity {
  const doc = new DOMParser().parseFromString(headOf(html), 'text/html')
  const title = doc.querySelector('title')?.textContent?.replace(/\s+/g, ' ').trim() ?? ''
  const href = doc.querySelector('link[rel~="icon" i][href]')?.getAttribute('href') ?? '/favicon.ico'
  const icon = URL.canParse(href, pageUrl) ? new URL(href, pageUrl) : null
  return {
    title: title === '' ? null : title.slice(0, 200),
    iconPath: icon !== null && icon.origin === new URL(pageUrl).origin ? icon.pathname : null
  }
}
