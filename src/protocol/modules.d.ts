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
  export default function parseTorrent (torrentId: Uint8Array | string): Promise<any>
}

declare module 'memory-chunk-store' {
  const MemoryChunkStore: new (chunkLength: number, options?: object) => object
  export default MemoryChunkStore
}
