// Libraries of the copy code that ship no types of their own.
declare module 'fsa-chunk-store' {
  /** abstract-chunk-store over the origin-private file system (WebTorrent's browser store). */
  class FSAChunkStore {
    constructor (chunkLength: number, options: { rootDir?: Promise<FileSystemDirectoryHandle>, name?: string, length?: number })
    /** Resolves with null, or with the error (it never rejects). */
    put (index: number, bytes: Uint8Array, callback?: (error: Error | null) => void): Promise<Error | null>
    close (callback?: (error: Error | null) => void): Promise<void>
  }
  export default FSAChunkStore
}
