import { constants } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Op } from './box.js'
import { FILE_MODE, type Fs, fsyncDir, writeFully } from './fs.js'

export const JOURNAL_SCHEMA = 1

/** segments are opened so that a write returns only once its data is on disk: one call per batch, not write + fdatasync */
const SEGMENT_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC
/** zeros written ahead of the batches, so that a batch overwrites blocks that exist and costs no metadata commit */
const PREALLOCATE_BYTES = 1024 * 1024

interface Waiting {
  line: string
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * The append-only write-ahead journal: every change is one JSON line, and one fsync covers every line that
 * arrived while the previous fsync was running (group commit). Segments are numbered; a checkpoint rotates
 * to a new segment, writes the boxes, then deletes the older segments.
 *
 * Why it is fast: a segment is written ahead with zeros (1 MiB at a time) and opened O_DSYNC. A batch is then
 * one write into blocks that already exist: the disk flushes the data, and the file system has no size or
 * extent change to commit — which an append would need, and which would wait behind every other process's
 * fsyncs on the same file system. Readers ignore the zero tail.
 */
export class Journal {
  readonly #dir: string
  readonly #fs: Fs
  #fd: FileHandle | undefined
  #seq = 0
  #size = 0
  /** bytes of the open segment that exist on disk (its data, then zeros) */
  #allocated = 0
  #pending: Waiting[] = []
  /** tails of closed segments that failed batches left behind and that must never be replayed */
  #voids: Array<{ seq: number; from: number }> = []
  #scheduled = false
  /** every operation on the open segment runs in this chain, one at a time */
  #chain: Promise<void> = Promise.resolve()
  batches = 0
  /** when the last batch reached the disk (epoch ms), and whether the last attempt failed */
  lastSyncedAt = 0
  failing = false
  bytesWritten = 0

  constructor(dir: string, fs: Fs, private readonly onWrite: (seconds: number) => void = () => {}) {
    this.#dir = dir
    this.#fs = fs
  }

  /** the segment numbers on disk, oldest first */
  async segments(): Promise<number[]> {
    const names = await this.#fs.readdir(this.#dir)
    return names
      .map((n) => /^(\d{8})\.jsonl$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b)
  }

  /**
   * Everything the journal holds, oldest first: the batches of ops, and how many lines were torn or
   * unreadable. A segment's header may declare the tail of an older one void (a failed batch that could not
   * be cut off): those bytes are never replayed.
   */
  async readAll(): Promise<{ segments: number[]; batches: Op[][]; skipped: number }> {
    const segments = await this.segments()
    const texts = new Map<number, Buffer>()
    const voidFrom = new Map<number, number>()
    for (const seq of segments) {
      const buf = await this.#fs.readFile(this.#path(seq))
      texts.set(seq, buf)
      const header = this.#header(buf, seq)
      for (const v of header.void ?? []) voidFrom.set(v.seq, Math.min(v.from, voidFrom.get(v.seq) ?? Infinity))
    }
    const batches: Op[][] = []
    let skipped = 0
    for (const seq of segments) {
      const buf = texts.get(seq)!
      const text = buf.subarray(0, voidFrom.get(seq) ?? buf.length).toString('utf8')
      for (const line of text.split('\n').slice(1)) {
        if (!line || (line.charCodeAt(0) === 0 && /^\0*$/.test(line))) continue // the zeros written ahead
        try {
          const value = JSON.parse(line)
          if (Array.isArray(value)) batches.push(value as Op[])
        } catch {
          skipped++ // a torn tail from a crash: never acknowledged
        }
      }
    }
    return { segments, batches, skipped }
  }

  #header(buf: Buffer, seq: number): { journal?: number; void?: Array<{ seq: number; from: number }> } {
    const end = buf.indexOf(0x0a)
    let header: { journal?: number; void?: Array<{ seq: number; from: number }> } = {}
    try {
      header = JSON.parse(buf.subarray(0, end < 0 ? buf.length : end).toString('utf8'))
    } catch {
      // a segment whose header never reached the disk holds nothing acknowledged
    }
    if ((header.journal ?? 0) > JOURNAL_SCHEMA) {
      throw new Error(`journal segment ${seq} was written by a newer Pigeonhole (schema ${header.journal}); refusing to start`)
    }
    return header
  }

  /** opens a fresh segment numbered after every existing one */
  async start(after: number): Promise<void> {
    await this.#openSegment(after + 1)
  }

  get size(): number {
    return this.#size
  }

  get current(): number {
    return this.#seq
  }

  /** resolves once the ops are on disk; rejects if they are not (and then none of them will be replayed) */
  append(ops: Op[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ line: JSON.stringify(ops) + '\n', resolve, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        this.#chain = this.#chain.then(() => this.#flush())
      }
    })
  }

  /** closes the current segment and opens the next; returns the number of the one closed */
  rotate(): Promise<number> {
    const run = this.#chain.then(async () => {
      const closed = this.#seq
      await this.#fd?.close()
      this.#fd = undefined
      await this.#openSegment(closed + 1)
      return closed
    })
    this.#chain = run.then(() => {}, () => {})
    return run
  }

  async removeUpTo(seq: number): Promise<void> {
    for (const s of await this.segments()) if (s <= seq) await this.#fs.unlink(this.#path(s))
    // made durable, so that no older segment can outlive a newer one through a power cut
    await fsyncDir(this.#fs, this.#dir)
  }

  async close(): Promise<void> {
    const run = this.#chain.then(async () => {
      await this.#fd?.close()
      this.#fd = undefined
    })
    this.#chain = run.catch(() => {})
    await run
  }

  #path(seq: number): string {
    return join(this.#dir, `${String(seq).padStart(8, '0')}.jsonl`)
  }

  async #openSegment(seq: number): Promise<void> {
    const fd = await this.#fs.open(this.#path(seq), SEGMENT_FLAGS, FILE_MODE)
    const voids = this.#voids.length ? { void: this.#voids } : {}
    const header = Buffer.from(JSON.stringify({ journal: JOURNAL_SCHEMA, ...voids }) + '\n')
    try {
      await writeFully(fd, header, 0)
      await fd.sync()
      await fsyncDir(this.#fs, this.#dir)
    } catch (err) {
      await fd.close().catch(() => {})
      throw err
    }
    this.#fd = fd
    this.#seq = seq
    this.#voids = []
    this.#size = header.length
    this.#allocated = header.length
  }

  /** writes zeros past the end of the segment so that the next batches overwrite rather than append */
  async #preallocate(upTo: number): Promise<void> {
    const end = Math.ceil((upTo + 1) / PREALLOCATE_BYTES) * PREALLOCATE_BYTES
    const zeros = Buffer.alloc(end - this.#allocated)
    await writeFully(this.#fd!, zeros, this.#allocated)
    this.#allocated = end
  }

  async #flush(): Promise<void> {
    this.#scheduled = false
    const batch = this.#pending
    this.#pending = []
    if (batch.length === 0) return
    const buf = Buffer.from(batch.map((w) => w.line).join(''))
    try {
      if (!this.#fd) await this.#openSegment(this.#seq + 1)
      if (this.#size + buf.length > this.#allocated) {
        // a nearly full disk may still take the batch itself, appended (O_DSYNC makes the new size durable too)
        await this.#preallocate(this.#size + buf.length).catch(() => {})
      }
      // O_DSYNC: on disk when this returns
      const started = performance.now()
      await writeFully(this.#fd!, buf, this.#size)
      this.onWrite((performance.now() - started) / 1000)
      this.#size += buf.length
      this.#allocated = Math.max(this.#allocated, this.#size)
      this.bytesWritten += buf.length
      this.batches++
      this.lastSyncedAt = Date.now()
      this.failing = false
      for (const w of batch) w.resolve()
    } catch (err) {
      this.failing = true
      await this.#discardTail(buf.length)
      for (const w of batch) w.reject(err)
    }
  }

  /**
   * Makes a failed batch unreplayable before anyone hears it failed: cut it off; failing that, overwrite it with
   * zeros (the blocks exist, and replay skips zeros); failing that too, open the next segment at once, whose
   * synced header declares the tail void.
   */
  async #discardTail(failedLength: number): Promise<void> {
    const fd = this.#fd
    if (!fd) return
    try {
      await fd.truncate(this.#size)
      await fd.datasync()
      this.#allocated = this.#size
      return
    } catch {}
    try {
      await writeFully(fd, Buffer.alloc(failedLength), this.#size)
      return
    } catch {}
    this.#voids.push({ seq: this.#seq, from: this.#size })
    await fd.close().catch(() => {})
    this.#fd = undefined
    await this.#openSegment(this.#seq + 1).catch(() => {})
  }
}
