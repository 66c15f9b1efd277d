// A file that is not a page: shown with the browser's own image, PDF and media viewers, or saved
// to the reader's downloads. Its bytes are checked against the site's digests before anything is
// shown or saved (a stream, as it ends), and its SHA-256 is shown with it.
//
// Media and images are shown in the viewer page from blob URLs typed by the file's name: a browser
// never runs them as a document, so they cannot reach the viewer. An SVG can hold scripts, so it is
// shown only as an <img> from a data: URL, which no one can open as a page.
import { t } from '../lib/i18n'
import { bytesToBase64 } from '../protocol/base64'
import type { Digests } from '../protocol/digests'
import { formatBytes } from '../protocol/format'
import { RunningDigests } from '../protocol/verify-digests'
import { downloadName, STREAMABLE_TYPES, type FileKind } from './file-kind'
import type { FileSource } from './file-source'
import { streamMedia } from './media-stream'
import { save } from './save-download'
import { concat, scratchFile } from './scratch-file'

export interface ShownFile {
  /** The words for the viewer's status line. */
  status: string
  sha256: string
  /** Where the browser saved a download. */
  savedAs?: string
}

type Progress = (done: number, total: number) => void

export async function showFile (box: HTMLElement, kind: Exclude<FileKind, 'page'>, type: string, source: FileSource, digests: Digests, progress: Progress): Promise<ShownFile> {
  const running = new RunningDigests(digests)
  const name = downloadName(source.path)
  box.dataset.kind = kind
  const check = (): string => {
    const mismatch = running.mismatch(t('fileTheFile', name))
    if (mismatch !== null) throw new Error(mismatch)
    const sha256 = running.result().sha256 as string
    box.dataset.sha256 = sha256
    return sha256
  }

  // Every byte read, however it is then used, is hashed and counted here.
  let done = 0
  const seen = (chunk: Uint8Array): void => {
    running.update(chunk)
    done += chunk.length
    progress(done, source.length)
  }

  if ((kind === 'video' || kind === 'audio') && STREAMABLE_TYPES.has(type)) {
    const media = mediaElement(kind, name)
    box.replaceChildren(media)
    const chunks = source.chunks()[Symbol.asyncIterator]()
    const streamed = await streamMedia(media, type, chunks, seen)
    if (streamed.streamed) {
      try {
        return { status: t('fileShownMedia'), sha256: check() }
      } catch (error) {
        media.pause()
        media.removeAttribute('src')
        media.load()
        throw error
      }
    }
    for (const chunk of streamed.head) seen(chunk)
    const parts = [...streamed.head]
    await readRest(chunks, seen, (chunk) => { parts.push(chunk) })
    const sha256 = check()
    media.src = URL.createObjectURL(new Blob(parts as BlobPart[], { type }))
    void media.play().catch(() => {})
    return { status: t('fileShownMedia'), sha256 }
  }

  if (kind === 'download') {
    // Written to a file in the origin-private file system as it comes, so the file is not held in
    // memory a second time beside the copy being seeded; the browser saves it from there.
    const scratch = await scratchFile(name)
    if (scratch !== null) {
      try {
        await readRest(source.chunks()[Symbol.asyncIterator](), seen, scratch.write)
        const sha256 = check()
        const savedAs = await save(await scratch.close(), name)
        if (savedAs === null) {
          // The browser reads it from here as it saves it: kept while the viewer is open.
          addEventListener('pagehide', () => { void scratch.remove() })
          return { status: t('fileSavedByBrowser', name), sha256 }
        }
        await scratch.remove()
        return { status: t('fileSaved', name), sha256, savedAs }
      } catch (error) {
        await scratch.remove()
        throw error
      }
    }
  }
  // Everything else is read whole first: the parts are the store's own pieces (no copy) until the
  // Blob is made.
  const parts: Uint8Array[] = []
  await readRest(source.chunks()[Symbol.asyncIterator](), seen, (chunk) => { parts.push(chunk) })
  const sha256 = check()
  if (kind === 'vector-image') {
    box.replaceChildren(image(`data:${type};base64,${bytesToBase64(concat(parts))}`, name))
    return { status: t('fileShownImage'), sha256 }
  }
  const blob = new Blob(parts as BlobPart[], { type })
  if (kind === 'image') {
    box.replaceChildren(image(URL.createObjectURL(blob), name))
    return { status: t('fileShownImage'), sha256 }
  }
  if (kind === 'pdf') {
    const frame = document.createElement('iframe')
    frame.className = 'file-pdf'
    frame.title = name
    frame.src = URL.createObjectURL(blob)
    box.replaceChildren(frame)
    return { status: t('fileShownPdf'), sha256 }
  }
  if (kind === 'video' || kind === 'audio') {
    const media = mediaElement(kind, name)
    media.src = URL.createObjectURL(blob)
    box.replaceChildren(media)
    void media.play().catch(() => {})
    return { status: t('fileShownMedia'), sha256 }
  }
  const savedAs = await save(blob, name)
  return savedAs === null ? { status: t('fileSavedByBrowser', name), sha256 } : { status: t('fileSaved', name), sha256, savedAs }
}

/** The box a file is shown in: its name and size, a progress bar, and later its checksum. */
export function fileBox (path: string, length: number): { box: HTMLElement, content: HTMLElement, progress: Progress, finish: (shown: ShownFile) => void } {
  const box = document.createElement('section')
  box.id = 'file'
  const heading = document.createElement('p')
  heading.className = 'file-name'
  heading.textContent = t('fileHeading', downloadName(path), formatBytes(length))
  const bar = document.createElement('progress')
  bar.max = 1
  bar.value = 0
  bar.setAttribute('aria-label', t('progressFile', downloadName(path)))
  const content = document.createElement('div')
  content.className = 'file-content'
  const facts = document.createElement('p')
  facts.className = 'file-facts'
  box.append(heading, bar, content, facts)
  return {
    box,
    content,
    progress: (done, total) => { bar.value = total > 0 ? done / total : 1 },
    // Said with the status, in one go: where the file went, and its checksum.
    finish: (shown) => {
      if (shown.savedAs !== undefined) content.dataset.savedAs = shown.savedAs
      bar.hidden = true
      const sum = document.createElement('code')
      sum.textContent = shown.sha256
      facts.replaceChildren(shown.savedAs === undefined ? '' : `${t('fileSavedAs', shown.savedAs)} · `, `${t('fileChecksum')} `, sum)
    }
  }
}

function mediaElement (kind: 'video' | 'audio', name: string): HTMLMediaElement {
  const media = document.createElement(kind)
  media.controls = true
  media.title = name
  return media
}

function image (src: string, name: string): HTMLImageElement {
  const img = document.createElement('img')
  img.alt = name
  img.src = src
  return img
}

/** The one read loop: every chunk left is `seen` (hashed, counted), then kept where the caller keeps it. */
async function readRest (chunks: AsyncIterator<Uint8Array>, seen: (chunk: Uint8Array) => void, keep: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
  for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
    seen(next.value)
    await keep(next.value)
  }
}
