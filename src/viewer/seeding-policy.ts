// When a viewer stops uploading, asks the tracker for peers again, and says that no one is
// sharing: pure, on the clock it is given, so unit tests drive it second by second.
import type { Settings } from '../lib/settings'

/** With no new bytes for this long, the viewer says that no one is sharing. */
export const NO_BYTES_AFTER_MS = 15_000
/**
 * With no bytes for this long, the viewer asks the tracker for peers again, then after twice as
 * long each time (the tracker's own interval is minutes; every offer of the first announce may
 * have failed, as when 20 tabs fail over at once).
 */
export const ASK_AGAIN_AFTER_MS = 4000
export const ASK_AGAIN_AT_MOST_MS = 60_000

type SeedingSettings = Pick<Settings, 'ratioTarget' | 'shareWhileReading' | 'uploadLimitKiBps'>

export interface Sample {
  now: number
  downloaded: number
  uploaded: number
  /** The copy's size in bytes. */
  length: number
  done: boolean
}

export interface Decision {
  /** Uploaded bytes over the copy's size. */
  ratio: number
  /** Stop uploading now (and for good). */
  stopUploading: boolean
  /** Ask the tracker for peers again now. */
  lookForPeers: boolean
  /** No bytes for a while: say so, and offer to look again. */
  noOneSharing: boolean
}

/** Whether these settings let a copy upload at all. */
export const mayUpload = (settings: SeedingSettings): boolean => settings.shareWhileReading

export function seedingPolicy (startedAt: number) {
  let lastProgressAt = startedAt
  let lastDownloaded = 0
  let askAgainAfter = ASK_AGAIN_AFTER_MS
  let askedAt = startedAt

  return {
    /** Each second, with the copy's figures and the current settings. */
    tick (sample: Sample, settings: SeedingSettings): Decision {
      const { now } = sample
      if (sample.downloaded !== lastDownloaded) {
        lastDownloaded = sample.downloaded
        lastProgressAt = now
        askAgainAfter = ASK_AGAIN_AFTER_MS
      }
      const lookForPeers = !sample.done && now - Math.max(lastProgressAt, askedAt) > askAgainAfter
      if (lookForPeers) {
        askedAt = now
        askAgainAfter = Math.min(askAgainAfter * 2, ASK_AGAIN_AT_MOST_MS)
      }
      const ratio = sample.length > 0 ? sample.uploaded / sample.length : 0
      return {
        ratio,
        stopUploading: !mayUpload(settings) || (settings.ratioTarget > 0 && ratio >= settings.ratioTarget),
        lookForPeers,
        noOneSharing: !sample.done && now - lastProgressAt > NO_BYTES_AFTER_MS
      }
    }
  }
}
