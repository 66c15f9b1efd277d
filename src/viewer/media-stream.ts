// Plays a WebM video or audio file while it downloads: its chunks go into a MediaSource in order
// (WebTorrent fetches the pieces a reading iterator needs first). Other containers play once the
// file is complete (a MediaSource needs fragmented media and exact codecs).
import { webmCodecs } from './file-kind'

/** Seconds of played media kept in the buffer when the browser says it is full. */
const KEEP_BEHIND_S = 10

/**
 * Streams `chunks` into `media`; each chunk is passed to `seen` first. Resolves when the last chunk
 * is in, or with false before touching `media` when this browser cannot stream the file (the caller
 * plays it from a blob instead, with the chunks read so far).
 */
export async function streamMedia (media: HTMLMediaElement, type: string, chunks: AsyncIterator<Uint8Array>, seen: (chunk: Uint8Array) => void): Promise<{ streamed: true } | { streamed: false, head: Uint8Array[] }> {
  const first = await chunks.next()
  const head = first.done === true ? [] : [first.value]
  const codecs = first.done === true ? null : webmCodecs(first.value)
  const mime = codecs === null ? '' : `${type}; codecs="${codecs.join(',')}"`
  if (typeof MediaSource === 'undefined' || codecs === null || !MediaSource.isTypeSupported(mime)) return { streamed: false, head }

  const source = new MediaSource()
  const opened = new Promise<void>((resolve) => source.addEventListener('sourceopen', () => resolve(), { once: true }))
  media.src = URL.createObjectURL(source)
  await opened
  const buffer = source.addSourceBuffer(mime)
  const updated = async (): Promise<void> => await new Promise((resolve, reject) => {
    buffer.addEventListener('updateend', () => resolve(), { once: true })
    buffer.addEventListener('error', () => reject(new Error('The browser could not play this file.')), { once: true })
  })
  const append = async (chunk: Uint8Array): Promise<void> => {
    seen(chunk)
    try {
      buffer.appendBuffer(chunk as Uint8Array<ArrayBuffer>)
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'QuotaExceededError')) throw error
      // Full: drop what was played long ago, then try once more.
      buffer.remove(0, Math.max(0, media.currentTime - KEEP_BEHIND_S))
      await updated()
      buffer.appendBuffer(chunk as Uint8Array<ArrayBuffer>)
    }
    await updated()
  }
  for (const chunk of head) await append(chunk)
  void media.play().catch(async () => {
    // No autoplay with sound in a tab the reader did not click in: play muted, the controls unmute.
    media.muted = true
    await media.play().catch(() => {})
  })
  for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) await append(next.value)
  if (source.readyState === 'open') source.endOfStream()
  return { streamed: true }
}
