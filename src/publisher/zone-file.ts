// Reading the TXT records back out of a BIND-style zone fragment (what `peerback publish` writes,
// or a zone file a site owner keeps), for `peerback doh`. Other record types are skipped.

export interface TxtRecord { name: string, strings: string[] }

export class ZoneSyntaxError extends Error {
  override readonly name = 'ZoneSyntaxError'
}

/** The tokens of one logical record: quoted strings keep their quotes' meaning. */
interface Token { text: string, quoted: boolean }

export function txtRecordsOfZone (text: string): TxtRecord[] {
  const records: TxtRecord[] = []
  let origin = ''
  let lastName = ''
  for (const { tokens, line, startsBlank } of logicalLines(text)) {
    if (tokens.length === 0) continue
    const first = tokens[0] as Token
    if (!first.quoted && first.text.toUpperCase() === '$ORIGIN') {
      origin = absolute(tokens[1]?.text ?? '', '')
      continue
    }
    if (!first.quoted && first.text.startsWith('$')) continue // $TTL, $INCLUDE…
    let rest = tokens
    let name = lastName
    if (!startsBlank) {
      name = first.text === '@' ? origin : absolute(first.text, origin)
      rest = tokens.slice(1)
    }
    if (name === '') throw new ZoneSyntaxError(`line ${line}: a record without an owner name`)
    lastName = name
    // [ttl] [class] type, in either order of ttl and class.
    while (rest.length > 0 && !(rest[0] as Token).quoted && /^(\d+[smhdw]?|IN|CH|HS)$/i.test((rest[0] as Token).text)) rest = rest.slice(1)
    const type = rest[0]
    if (type === undefined) throw new ZoneSyntaxError(`line ${line}: no record type`)
    if (type.text.toUpperCase() !== 'TXT') continue
    const strings = rest.slice(1).map((token) => token.text)
    if (strings.length === 0) throw new ZoneSyntaxError(`line ${line}: a TXT record without text`)
    records.push({ name: name.replace(/\.$/, '').toLowerCase(), strings })
  }
  return records
}

function absolute (name: string, origin: string): string {
  if (name.endsWith('.')) return name
  return origin === '' ? `${name}.` : `${name}.${origin}`
}

/** Lines joined across `( … )`, split into tokens; comments dropped. */
function * logicalLines (text: string): Generator<{ tokens: Token[], line: number, startsBlank: boolean }> {
  let tokens: Token[] = []
  let depth = 0
  let startLine = 1
  let startsBlank = false
  const lines = text.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] as string
    if (depth === 0) {
      startLine = index + 1
      startsBlank = /^[ \t]/.test(raw)
      tokens = []
    }
    let at = 0
    while (at < raw.length) {
      const char = raw[at] as string
      if (char === ';') break
      if (char === ' ' || char === '\t') { at++; continue }
      if (char === '(') { depth++; at++; continue }
      if (char === ')') {
        if (depth === 0) throw new ZoneSyntaxError(`line ${index + 1}: ")" without "("`)
        depth--
        at++
        continue
      }
      if (char === '"') {
        let value = ''
        at++
        while (at < raw.length && raw[at] !== '"') {
          if (raw[at] === '\\') {
            const escaped = /^\\(\d{3})/.exec(raw.slice(at))
            if (escaped !== null) {
              value += String.fromCharCode(Number(escaped[1]))
              at += 4
              continue
            }
            at++
          }
          value += raw[at] ?? ''
          at++
        }
        if (at >= raw.length) throw new ZoneSyntaxError(`line ${index + 1}: a quoted string is not closed`)
        at++
        tokens.push({ text: value, quoted: true })
        continue
      }
      const word = /^[^\s;()"]+/.exec(raw.slice(at))?.[0] ?? ''
      tokens.push({ text: word, quoted: false })
      at += word.length
    }
    if (depth === 0) yield { tokens, line: startLine, startsBlank }
  }
  if (depth > 0) throw new ZoneSyntaxError(`line ${startLine}: "(" is never closed`)
}
