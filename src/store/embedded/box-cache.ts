import { join } from 'node:path'
import { Low } from 'lowdb'
import { BOX_SCHEMA, Box, type BoxFile } from './box.js'
import { DurableJSONFile } from './durable-json-file.js'
import type { Fs } from './fs.js'
import { migrate } from './migrate.js'

interface Entry {
  box: Box
  db: Low<BoxFile>
  file: DurableJSONFile<BoxFile>
  dirty: boolean
  lastUsed: number
}

export interface BoxSnapshot {
  entry: Entry
  file: BoxFile
}

/** The boxes held in memory, each backed by its own lowdb file; loaded on demand, evicted when clean and idle. */
export class BoxCache {
  readonly #entries = new Map<string, Entry>()
  readonly #loading = new Map<string, Promise<void>>()
  readonly #fileBytes = new Map<string, number>()
  /**
   * Users whose box file may exist: every file found at boot, and every box whose write was begun. Only this
   * process writes the directory (lock.ts), so a user outside the set has no file, and their first message
   * needs no trip to the disk (a failed open and stat cost 5% of the first burst after a start).
   */
  readonly #mayExist = new Set<string>()
  #uses = 0
  bytesWritten = 0

  constructor(
    private readonly dir: string,
    private readonly fs: Fs,
    private readonly maxCachedItems: number,
  ) {}

  get(user: string): Box | undefined {
    const e = this.#entries.get(user)
    if (e) e.lastUsed = ++this.#uses
    return e?.box
  }

  load(user: string): Promise<void> {
    if (this.#entries.has(user)) return Promise.resolve()
    if (!this.#mayExist.has(user)) {
      this.#entries.set(user, this.#entry(user, new DurableJSONFile<BoxFile>(this.#path(user), this.fs), null))
      return Promise.resolve()
    }
    let loading = this.#loading.get(user)
    if (!loading) {
      loading = this.#read(user).then(
        (entry) => {
          this.#loading.delete(user)
          if (!this.#entries.has(user)) this.#entries.set(user, entry)
        },
        (err) => {
          this.#loading.delete(user)
          throw err
        },
      )
      this.#loading.set(user, loading)
    }
    return loading
  }

  /** reads every box file once (at boot), keeping what fits in the cache */
  async *scan(): AsyncGenerator<Box> {
    // counted as it goes: summing the cache for every file made a boot with many boxes quadratic
    let cached = this.#cachedItems()
    for (const user of await this.#usersWithFiles()) {
      this.#mayExist.add(user)
      const entry = await this.#read(user)
      if (cached + entry.box.size <= this.maxCachedItems) {
        this.#entries.set(user, entry)
        cached += entry.box.size
      }
      yield entry.box
    }
  }

  /** every user who has a box file or a box in memory, sorted */
  async users(): Promise<string[]> {
    return [...new Set([...(await this.#usersWithFiles()), ...this.#entries.keys()])].sort()
  }

  async #usersWithFiles(): Promise<string[]> {
    const names = await this.fs.readdir(this.dir)
    return names.flatMap((name) => (name.startsWith('.') ? [] : /^(.+)\.json$/.exec(name)?.[1] ?? []))
  }

  markDirty(user: string): void {
    const e = this.#entries.get(user)
    if (e) e.dirty = true
  }

  /** the file contents of every changed box as they are now, each box then counted as clean */
  snapshotDirty(): BoxSnapshot[] {
    const out: BoxSnapshot[] = []
    for (const entry of this.#entries.values()) {
      if (!entry.dirty) continue
      entry.dirty = false
      out.push({ entry, file: entry.box.toFile() })
    }
    return out
  }

  /** writes snapshots (a few at a time); a box whose write fails is dirty again */
  async writeSnapshots(snapshots: BoxSnapshot[]): Promise<void> {
    const queue = [...snapshots]
    let failure: unknown
    const worker = async () => {
      for (let s = queue.pop(); s; s = queue.pop()) {
        const before = s.entry.file.bytesWritten
        try {
          this.#mayExist.add(s.entry.box.user)
          s.entry.db.data = s.file
          await s.entry.db.write()
          this.#fileBytes.set(s.entry.box.user, s.entry.file.bytesWritten - before)
          this.bytesWritten += s.entry.file.bytesWritten - before
        } catch (err) {
          s.entry.dirty = true
          failure ??= err
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    if (failure) throw failure
  }

  /** drops clean boxes, least recently used first, until the cache holds at most its share of items */
  evict(): void {
    let items = this.#cachedItems()
    if (items <= this.maxCachedItems) return
    const clean = [...this.#entries.values()].filter((e) => !e.dirty).sort((a, b) => a.lastUsed - b.lastUsed)
    for (const e of clean) {
      if (items <= this.maxCachedItems) break
      this.#entries.delete(e.box.user)
      items -= e.box.size
    }
  }

  get size(): number {
    return this.#entries.size
  }

  diskBytes(): number {
    let n = 0
    for (const b of this.#fileBytes.values()) n += b
    return n
  }

  #cachedItems(): number {
    let n = 0
    for (const e of this.#entries.values()) n += e.box.size
    return n
  }

  async #read(user: string): Promise<Entry> {
    const file = new DurableJSONFile<BoxFile>(this.#path(user), this.fs)
    const stored = await file.read()
    if (stored) this.#fileBytes.set(user, file.bytesRead)
    return this.#entry(user, file, stored)
  }

  #entry(user: string, file: DurableJSONFile<BoxFile>, stored: BoxFile | null): Entry {
    const db = new Low<BoxFile>(file, { schema: BOX_SCHEMA, user, messages: [], reports: [] })
    if (stored) db.data = stored
    const doc = migrate<BoxFile>(`box file of ${user}`, db.data, BOX_SCHEMA)
    return { box: Box.fromFile(doc), db, file, dirty: false, lastUsed: ++this.#uses }
  }

  #path(user: string): string {
    return join(this.dir, `${user}.json`)
  }
}
