// Libraries of the protocol code that ship no types of their own.
declare module 'magnet-uri' {
  interface Decoded {
    infoHash?: unknown
    name?: unknown
    announce?: unknown
    urlList?: unknown
  }
  export function decode (uri: string): Decoded
}

declare module 'parse-torrent' {
  export default function parseTorrent (torrentId: Uint8Array | string): Promise<unknown>
  export function toMagnetURI (parsed: object): string
}

declare module 'memory-chunk-store' {
  class MemoryChunkStore {
    constructor (chunkLength: number, options?: object)
    chunks: Array<Uint8Array | undefined>
  }
  export default MemoryChunkStore
}
