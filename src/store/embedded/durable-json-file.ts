import { basename, dirname, join } from 'node:path'
import type { Adapter } from 'lowdb'
import { FILE_MODE, type Fs, fsyncDir, isNotFound, nodeFs, writeFully } from './fs.js'

/**
 * A lowdb adapter that makes each write durable: temp file, fsync, rename into place, fsync the directory.
 * Writes that arrive while one is in flight are coalesced into a single next write of the latest data.
 */
export class DurableJSONFile<T> implements Adapter<T> {
  readonly #path: string
  readonly #tmp: string
  readonly #fs: Fs
  #inFlight: Promise<void> | undefined
  #next: { data: T; promise: Promise<void> } | undefined
  /** bytes handed to the disk so far, for tests and benchmarks */
  bytesWritten = 0
  /** the size of the file at the last read (0 when there was none) */
  bytesRead = 0

  constructor(path: string, fs: Fs = nodeFs) {
    this.#path = path
    this.#tmp = join(dirname(path), `.${basename(path)}.tmp`)
    this.#fs = fs
  }

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await this.#fs.readFile(this.#path, 'utf8')
    } catch (err) {
      this.bytesRead = 0
      if (isNotFound(err)) return null
      throw err
    }
    this.bytesRead = Buffer.byteLength(text)
    return JSON.parse(text) as T
  }

  write(data: T): Promise<void> {
    if (!this.#inFlight) return this.#start(data)
    if (this.#next) {
      this.#next.data = data
      return this.#next.promise
    }
    const next: { data: T; promise: Promise<void> } = { data, promise: Promise.resolve() }
    next.promise = this.#inFlight.catch(() => {}).then(() => this.#start(next.data))
    this.#next = next
    return next.promise
  }

  #start(data: T): Promise<void> {
    this.#next = undefined
    const run = this.#replace(JSON.stringify(data))
    this.#inFlight = run
    const clear = () => {
      // a queued next write keeps the slot, so that a write arriving meanwhile joins it
      if (this.#inFlight === run && !this.#next) this.#inFlight = undefined
    }
    run.then(clear, clear)
    return run
  }

  async #replace(text: string): Promise<void> {
    const handle = await this.#fs.open(this.#tmp, 'w', FILE_MODE)
    try {
      const buf = Buffer.from(text)
      await writeFully(handle, buf, 0)
      await handle.sync()
      this.bytesWritten += buf.length
    } finally {
      await handle.close()
    }
    await this.#fs.rename(this.#tmp, this.#path)
    await fsyncDir(this.#fs, dirname(this.#path))
  }
}
