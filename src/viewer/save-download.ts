// Saving a file the viewer holds to the reader's downloads folder: through the downloads API where
// the reader granted it (lib/optional-permissions.ts), which says where the file went and whether
// it arrived; otherwise handed to the browser as any page's download link would.
import browser from 'webextension-polyfill'
import { t } from '../lib/i18n'

/**
 * Saves the file. Resolves with where the browser put it once it is there (the downloads API), or
 * with null once it was handed to the browser's own download (a link; its blob stays valid while
 * the viewer is open).
 */
export async function save (blob: Blob, name: string): Promise<string | null> {
  if (browser.downloads === undefined) {
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name })
    link.click()
    return null
  }
  const url = URL.createObjectURL(blob)
  try {
    // No saveAs: the browser asks where to save if the reader told it to ask, as for any download.
    const id = await browser.downloads.download({ url, filename: name, conflictAction: 'uniquify' })
    await new Promise<void>((resolve, reject) => {
      const settle = (state: string | undefined, error?: string): void => {
        if (state === 'complete') resolve()
        else if (state === 'interrupted') reject(new Error(t('fileNotSaved', name, error ?? '')))
        else return
        browser.downloads.onChanged.removeListener(onChanged)
      }
      const onChanged = (delta: browser.Downloads.OnChangedDownloadDeltaType): void => {
        if (delta.id === id) settle(delta.state?.current, delta.error?.current)
      }
      browser.downloads.onChanged.addListener(onChanged)
      // It may have finished before the listener was there.
      void browser.downloads.search({ id }).then(([item]) => { settle(item?.state, item?.error) })
    })
    const [item] = await browser.downloads.search({ id })
    return item?.filename ?? name
  } finally {
    URL.revokeObjectURL(url)
  }
}
