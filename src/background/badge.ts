// The toolbar button's badge: a short mark per state, and the number of peers while seeding; the
// tooltip says the state in words.
import browser from 'webextension-polyfill'
import type { CopyStats } from '../lib/copy-stats'
import { t } from '../lib/i18n'
import type { I18nKey } from '../lib/i18n-keys'
import type { Phase, TabState } from '../lib/tab-state'

const MARKS: Record<Phase, { text: string, color: string, words: I18nKey }> = {
  watching: { text: '', color: '#0f766e', words: 'badgeWatching' },
  'looking-up': { text: '…', color: '#2563eb', words: 'badgeLookingUp' },
  offered: { text: '!', color: '#b45309', words: 'badgeOffered' },
  fetching: { text: '↓', color: '#2563eb', words: 'badgeFetching' },
  showing: { text: '✓', color: '#0f766e', words: 'badgeShowing' },
  seeding: { text: '↑', color: '#0f766e', words: 'badgeSeeding' },
  'no-copy': { text: '×', color: '#b91c1c', words: 'badgeNoCopy' },
  error: { text: '×', color: '#b91c1c', words: 'badgeError' }
}

export async function showBadge (tabId: number, state: TabState, stats: CopyStats | null): Promise<void> {
  const mark = MARKS[state.phase]
  const peers = state.phase === 'seeding' && stats !== null ? stats.peers : null
  const text = peers === null ? mark.text : `${mark.text}${Math.min(peers, 99)}`
  const title = peers === null ? t(mark.words) : t('badgeSeedingPeers', peers)
  // A tab that closed meanwhile has no badge to set.
  await Promise.all([
    browser.action.setBadgeText({ tabId, text }),
    browser.action.setBadgeBackgroundColor({ tabId, color: mark.color }),
    browser.action.setTitle({ tabId, title: `${t('extName')}: ${title}` })
  ]).catch(() => {})
}
