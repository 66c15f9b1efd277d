// What a reader is told when the protocol code refuses something (a torrent, a DNS answer, an
// address): a message of their language per refusal, filled with the refusal's details. The
// protocol's own English messages stay for site owners (the publisher prints them). Pure.
import type { ProtocolErrorCode } from '../protocol/errors'
import type { I18nKey, Translate } from './i18n-keys'

const WORDS: Record<ProtocolErrorCode, I18nKey> = {
  'bad-url': 'problemBadUrl',
  'bad-magnet': 'problemBadMagnet',
  'bad-link': 'problemBadLink',
  'bad-digest': 'problemBadDigest',
  'ip-literal-host': 'problemIpLiteralHost',
  'not-http': 'problemNotHttp',
  'txt-conflict': 'problemTxtConflict',
  'txt-incomplete': 'problemTxtIncomplete',
  'txt-bad-chunk': 'problemTxtBadChunk',
  'txt-too-large': 'problemTxtTooLarge',
  'torrent-unreadable': 'problemTorrentUnreadable',
  'torrent-metadata-too-large': 'problemTorrentMetadataTooLarge',
  'torrent-too-many-files': 'problemTorrentTooManyFiles',
  'torrent-too-large': 'problemTorrentTooLarge',
  'torrent-unsafe-path': 'problemTorrentUnsafePath',
  'no-file-for-path': 'problemNoFileForPath',
  'dns-unreadable': 'problemDnsUnreadable',
  'dns-failed': 'problemDnsFailed',
  'dns-http': 'problemDnsHttp',
  'dns-timeout': 'problemDnsTimeout',
  'dns-unreachable': 'problemDnsUnreachable',
  'fetch-failed': 'problemFetchFailed',
  'fetch-refused': 'problemFetchRefused'
}

/** A refusal as it travels between contexts (a ProtocolError, or its copy in a message). */
export interface ProblemLike { code: string, message: string, details?: Array<string | number> }

const isProblem = (value: unknown): value is ProblemLike & { code: ProtocolErrorCode } =>
  typeof value === 'object' && value !== null && typeof (value as ProblemLike).code === 'string' && (value as ProblemLike).code in WORDS

/** What to tell the reader about `error`: a refusal's own message in their language, else the error's text. */
export function problemWords (error: unknown, t: Translate): string {
  if (isProblem(error)) return t(WORDS[error.code], ...(error.details ?? []))
  return error instanceof Error ? error.message : String(error)
}
