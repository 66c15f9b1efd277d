// Packages of the publisher (and the test world) that ship no types of their own.
declare module 'bittorrent-tracker' {
  import type { EventEmitter } from 'node:events'
  import type { Server as HttpServer } from 'node:http'
  export class Server extends EventEmitter {
    constructor (options: { udp?: boolean, http?: boolean, ws?: boolean, stats?: boolean, trustProxy?: boolean })
    http: HttpServer
    listen (port: number, host: string, onListening: () => void): void
    close (callback: () => void): void
  }
  export default class Client extends EventEmitter {
    /** Asks one tracker how many seeders and leechers a torrent has. */
    static scrape (options: { announce: string, infoHash: string }, callback: (error: Error | null, data?: { complete: number, incomplete: number }) => void): Client
    destroy (): void
  }
}

declare module 'webtorrent' {
  import type { EventEmitter } from 'node:events'
  export interface TorrentFile {
    name: string
    path: string
    length: number
    arrayBuffer: () => Promise<ArrayBuffer>
  }
  export interface Torrent extends EventEmitter {
    infoHash: string
    magnetURI: string
    torrentFile: Uint8Array
    files: TorrentFile[]
    length: number
    uploaded: number
    downloaded: number
    numPeers: number
    done: boolean
    /** 0…1: the share of pieces verified. */
    progress: number
    announce: string[]
    wires: Array<{ isSeeder: boolean }>
    destroy: (options?: { destroyStore?: boolean }, callback?: (error?: Error) => void) => void
  }
  export interface ClientOptions {
    dht?: boolean
    lsd?: boolean
    utp?: boolean
    natUpnp?: boolean
    natPmp?: boolean
    webSeeds?: boolean
    torrentPort?: number
    tracker?: { rtcConfig?: { iceServers: unknown[] } }
    /** Bytes per second. */
    uploadLimit?: number
  }
  export default class WebTorrent extends EventEmitter {
    constructor (options?: ClientOptions)
    torrents: Torrent[]
    seed (input: string | string[], options: { announce: string[], name?: string, pieceLength?: number }, onSeed?: (torrent: Torrent) => void): Torrent
    add (torrentId: string | Uint8Array, options: { announce?: string[], path?: string, store?: new (chunkLength: number, options: never) => object, skipVerify?: boolean }, onTorrent?: (torrent: Torrent) => void): Torrent
    uploadSpeed: number
    throttleUpload: (rate: number) => void
    destroy (callback?: (error?: Error) => void): void
  }
}

declare module 'create-torrent' {
  export default function createTorrent (input: unknown, options: object, callback: (error: Error | null, torrent: Uint8Array) => void): void
}
