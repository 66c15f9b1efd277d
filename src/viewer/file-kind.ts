// What the viewer does with the file a URL names: render it as a page, show it with the browser's
// own image, PDF or media viewer, or save it as a download. Decided by the file's name in the
// torrent (or the mirror's URL), never by sniffing bytes a peer sent.
import { mimeType } from '../protocol/mime'

export type FileKind = 'page' | 'image' | 'vector-image' | 'pdf' | 'audio' | 'video' | 'download'

/** Media the viewer can play while it downloads (Media Source Extensions, by container). */
export const STREAMABLE_TYPES = new Set(['video/webm', 'audio/webm'])

/**
 * `path`: the file's path in the torrent, or a mirror's URL path; `contentType`: what a mirror said
 * it served, which wins over the name (a path like `/` names no type).
 */
export function fileKind (path: string, contentType?: string | null): { kind: FileKind, type: string } {
  const said = contentType?.split(';')[0]?.trim().toLowerCase()
  const type = said !== undefined && /^[a-z]+\/[a-z0-9.+-]+$/.test(said) && said !== 'application/octet-stream' ? said : mimeType(path)
  if (type === 'text/html' || type === 'application/xhtml+xml' || (said === undefined && path.endsWith('/'))) return { kind: 'page', type: 'text/html' }
  if (type === 'image/svg+xml') return { kind: 'vector-image', type }
  if (type.startsWith('image/')) return { kind: 'image', type }
  if (type === 'application/pdf') return { kind: 'pdf', type }
  if (type.startsWith('audio/')) return { kind: 'audio', type }
  if (type.startsWith('video/')) return { kind: 'video', type }
  return { kind: 'download', type }
}

// Windows refuses these as names, with any extension (`CON.txt`, `com1.tar.gz`).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i

/**
 * The name a download is saved under, and shown: the path's last part, without anything a file
 * system would refuse, and without invisible format characters — bidi overrides (U+202A–U+202E,
 * U+2066–U+2069), zero-width characters, soft hyphens — that make `evil\u202Egpj.exe` read as
 * `evilexe.jpg`. Windows' reserved names get a leading `_`; trailing dots and spaces go.
 */
export function downloadName (path: string): string {
  const last = path.split('/').filter((part) => part !== '').pop() ?? ''
  let name: string
  try {
    name = decodeURIComponent(last)
  } catch {
    name = last
  }
  const safe = name.normalize('NFC').replace(/\p{Cf}/gu, '').replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 200).replace(/[.\s]+$/, '')
  if (safe === '') return 'download'
  return RESERVED.test(safe) ? `_${safe}` : safe
}

/**
 * The codecs of a WebM file, from its first bytes (the CodecID elements of its tracks), for
 * MediaSource.addSourceBuffer; null when none is recognised.
 */
export function webmCodecs (head: Uint8Array): string[] | null {
  const text = new TextDecoder('latin1').decode(head.subarray(0, 64 * 1024))
  const codecs: string[] = []
  for (const [id, codec] of [['V_VP9', 'vp9'], ['V_VP8', 'vp8'], ['V_AV1', 'av01.0.05M.08'], ['A_OPUS', 'opus'], ['A_VORBIS', 'vorbis']] as const) {
    if (text.includes(id)) codecs.push(codec)
  }
  return codecs.length > 0 ? codecs : null
}
