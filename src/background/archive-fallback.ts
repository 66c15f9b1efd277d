// The last step of the fall-back chain: a web archive's snapshot of a page nothing else has a copy
// of, opened in the page's tab when the reader asks (the popup) or, with "Look for archived copies
// automatically", when the page fails.
import { isArchivePage, type ArchiveAnswer } from '../lib/archive'
import type { Settings } from '../lib/settings'
import type { BackgroundDeps } from './ports'

export type ArchiveFallback = ReturnType<typeof archiveFallback>

export function archiveFallback (deps: BackgroundDeps) {
  return {
    /**
     * Asks the archive for `url`'s snapshot; `stillWanted` (checked once the answer is in) says
     * whether the tab still waits for that page, and only then does it go to the snapshot.
     */
    async open (tabId: number, url: string, settings: Settings, stillWanted: () => Promise<boolean> = async () => await Promise.resolve(true)): Promise<ArchiveAnswer> {
      // The archive's own pages are not looked up in it again (an archive that is down, for one).
      if (isArchivePage(url, settings.archiveUrl)) return { kind: 'none' }
      const answer = await deps.findSnapshot(url, settings)
      if (answer.kind === 'found' && await stillWanted()) await deps.tabs.navigate(tabId, answer.url)
      return answer
    }
  }
}
