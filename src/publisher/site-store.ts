// A read-only chunk store (the abstract-chunk-store interface WebTorrent takes as `store`) over a
// site's own files: `peerback seed` serves pieces straight from the published directory and can
// never write to it — a file that changed since publishing fails its piece check instead.
import { open, type FileHandle } from 'node:fs/promises'

/** A torrent's file as WebTorrent hands it to the store. */
interface StoreFile { path: string, offset: number, length: number }

type Callback<T> = (error: Error | null, value?: T) => void

/** A store class whose files are read from wherever `diskPathOf` says. */
export function readOnlyStore (diskPathOf: (torrentFilePath: string) => string) {
  return class SiteStore {
    readonly chunkLength: number
    readonly length: number
    private readonly files: Array<StoreFile & { diskPath: string }>
    private readonly handles = new Map<string, Promise<FileHandle>>()
    private closed = false

    constructor (chunkLength: number, options: { files: StoreFile[], length: number }) {
      this.chunkLength = chunkLength
      this.length = options.length
      this.files = options.files.map((file) => ({ path: file.path, offset: file.offset, length: file.length, diskPath: diskPathOf(file.path) }))
    }

    put (index: number, _chunk: Uint8Array, callback: Callback<void> = () => {}): void {
      queueMicrotask(() => callback(new Error(`the seeder does not write to the site's files (piece ${index})`)))
    }

    get (index: number, options: { offset?: number, length?: number } | null | undefined | Callback<Uint8Array>, callback?: Callback<Uint8Array>): void {
      if (typeof options === 'function') return this.get(index, null, options)
      const done = callback ?? (() => {})
      const pieceStart = index * this.chunkLength
      const pieceLength = Math.min(this.chunkLength, this.length - pieceStart)
      const offset = options?.offset ?? 0
      const length = options?.length ?? pieceLength - offset
      this.read(pieceStart + offset, length).then((bytes) => done(null, bytes), (error: Error) => done(error))
    }

    private async read (start: number, length: number): Promise<Uint8Array> {
      if (this.closed) throw new Error('the store is closed')
      if (start < 0 || length < 0 || start + length > this.length) throw new Error(`range ${start}+${length} is outside the torrent`)
      const bytes = new Uint8Array(length)
      for (const file of this.files) {
        const from = Math.max(start, file.offset)
        const to = Math.min(start + length, file.offset + file.length)
        if (from >= to) continue
        const handle = await this.handle(file.diskPath, file.length)
        const { bytesRead } = await handle.read(bytes, from - start, to - from, from - file.offset)
        if (bytesRead !== to - from) throw new Error(`${file.diskPath} is shorter than published`)
      }
      return bytes
    }

    /** An open file, once its size is checked: an edit that only appends is still a change. */
    private async handle (path: string, length: number): Promise<FileHandle> {
      let handle = this.handles.get(path)
      if (handle === undefined) {
        handle = open(path, 'r').then(async (opened) => {
          const { size } = await opened.stat()
          if (size === length) return opened
          await opened.close()
          throw new Error(`${path} is ${size} bytes, not the ${length} published`)
        })
        handle.catch(() => this.handles.delete(path))
        this.handles.set(path, handle)
      }
      return await handle
    }

    close (callback: Callback<void> = () => {}): void {
      this.closed = true
      const handles = [...this.handles.values()]
      this.handles.clear()
      Promise.allSettled(handles.map(async (handle) => await (await handle).close())).then(() => callback(null), () => callback(null))
    }

    destroy (callback: Callback<void> = () => {}): void {
      this.close(callback) // never deletes the site
    }
  }
}
