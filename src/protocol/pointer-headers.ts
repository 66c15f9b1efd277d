// The response headers through which a site points to copies of a page (DESIGN.md §3): the
// torrent itself, mirrors, and digests to check a copy against. Pure; shared with the publisher.

export const POINTER_HEADER_NAMES = [
  'x-torrent',
  'link',
  'x-mirrored-by',
  'x-md5',
  'digest',
  'repr-digest'
] as const

export type PointerHeaderName = typeof POINTER_HEADER_NAMES[number]

/** Header values by lowercase name; a header sent several times keeps every value, in order. */
export type PointerHeaders = Partial<Record<PointerHeaderName, string[]>>

export interface RawHeader {
  name: string
  value?: string
}

const isPointerHeader = (name: string): name is PointerHeaderName =>
  (POINTER_HEADER_NAMES as readonly string[]).includes(name)

/** The pointer headers of a response, or null when it has none worth remembering. */
export function pickPointerHeaders (headers: readonly RawHeader[]): PointerHeaders | null {
  const picked: PointerHeaders = {}
  let found = false
  for (const { name, value } of headers) {
    const key = name.toLowerCase()
    if (!isPointerHeader(key) || value === undefined || value.trim() === '') continue
    // A Link header that names no torrent, mirror or digest (preload, canonical…) is no pointer.
    if (key === 'link' && !/\brel\s*=\s*"?[^";,]*\b(describedby|duplicate)\b/i.test(value)) continue
    ;(picked[key] ??= []).push(value.trim())
    found = true
  }
  return found ? picked : null
}
