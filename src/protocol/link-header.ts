// RFC 8288 `Link` header values: `<uri>; rel="a b"; type=x, <uri2>; rel=y`. Several links per
// header, quoted or bare parameter values, any spacing. A malformed link is skipped and reported;
// the others in the same header still count.
import { ProtocolError, quote } from './errors'

export interface LinkValue {
  /** As written, unresolved. */
  target: string
  /** Lowercase parameter names; the first occurrence of a name wins (RFC 8288 §3). */
  params: Record<string, string>
}

export interface ParsedLinks {
  links: LinkValue[]
  problems: ProtocolError[]
}

const SPACE = /[ \t]/

export function parseLinkHeader (header: string): ParsedLinks {
  const links: LinkValue[] = []
  const problems: ProtocolError[] = []
  let i = 0
  const skipSpace = (): void => { while (i < header.length && SPACE.test(header[i] as string)) i++ }

  // After an error, resume at the next comma that is outside <…> and "…".
  const skipToNextLink = (): void => {
    let inQuote = false
    let inAngle = false
    for (; i < header.length; i++) {
      const c = header[i]
      if (inQuote) {
        if (c === '\\') i++
        else if (c === '"') inQuote = false
      } else if (c === '"') inQuote = true
      else if (c === '<') inAngle = true
      else if (c === '>') inAngle = false
      else if (c === ',' && !inAngle) { i++; return }
    }
  }

  const readValue = (): string | null => {
    if (header[i] !== '"') {
      const start = i
      while (i < header.length && !/[;, \t]/.test(header[i] as string)) i++
      return header.slice(start, i)
    }
    let value = ''
    for (i++; i < header.length; i++) {
      const c = header[i] as string
      if (c === '\\' && i + 1 < header.length) value += header[++i]
      else if (c === '"') { i++; return value } else value += c
    }
    return null // unterminated quoted-string
  }

  while (i < header.length) {
    skipSpace()
    if (header[i] === ',') { i++; continue }
    if (i >= header.length) break
    const start = i
    const bad = (why: string): void => {
      skipToNextLink()
      problems.push(new ProtocolError('bad-link', `Ignored a malformed Link ${quote(header.slice(start, i).replace(/,$/, ''))}: ${why}.`))
    }
    if (header[i] !== '<') { bad('it should start with <URL>'); continue }
    const close = header.indexOf('>', i)
    if (close === -1) {
      // No '>' anywhere after this: nothing that follows can be a link either (and looking for
      // one at every later '<' would take quadratic time).
      i = header.length
      problems.push(new ProtocolError('bad-link', `Ignored a malformed Link ${quote(header.slice(start))}: the <URL> is not closed.`))
      break
    }
    const target = header.slice(i + 1, close).trim()
    i = close + 1
    const params: Record<string, string> = {}
    let broken: string | null = null
    for (;;) {
      skipSpace()
      if (i >= header.length || header[i] === ',') break
      if (header[i] !== ';') { broken = 'parameters must follow ";"'; break }
      i++
      skipSpace()
      const nameStart = i
      while (i < header.length && !/[=;, \t]/.test(header[i] as string)) i++
      const name = header.slice(nameStart, i).toLowerCase()
      skipSpace()
      let value = ''
      if (header[i] === '=') {
        i++
        skipSpace()
        const read = readValue()
        if (read === null) { broken = 'a quoted value is not closed'; break }
        value = read
      }
      if (name === '') continue // a stray ";" is harmless
      if (!(name in params)) params[name] = value
    }
    if (broken !== null) { bad(broken); continue }
    if (i < header.length) i++ // the comma
    links.push({ target, params })
  }
  return { links, problems }
}

/** The relation types of a link (`rel="a b"` names two), lowercased. */
export function relationsOf (link: LinkValue): string[] {
  return (link.params.rel ?? '').toLowerCase().split(/\s+/).filter((rel) => rel !== '')
}
