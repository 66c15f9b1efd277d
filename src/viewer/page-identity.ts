// What the tab shows for a copy: the page's own title and icon, read from its document without
// running it (DOMParser neither runs scripts nor loads anything).

export interface PageIdentity {
  title: string | null
  /** The site path of the page's icon (its own `<link rel=icon>`, else `/favicon.ico`); null when it is not on the site. */
  iconPath: string | null
}

export function pageIdentity (html: ArrayBuffer, pageUrl: string): PageIdentity {
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(html), 'text/html')
  const title = doc.querySelector('title')?.textContent?.replace(/\s+/g, ' ').trim() ?? ''
  const href = doc.querySelector('link[rel~="icon" i][href]')?.getAttribute('href') ?? '/favicon.ico'
  const icon = URL.canParse(href, pageUrl) ? new URL(href, pageUrl) : null
  return {
    title: title === '' ? null : title.slice(0, 200),
    iconPath: icon !== null && icon.origin === new URL(pageUrl).origin ? icon.pathname : null
  }
}
