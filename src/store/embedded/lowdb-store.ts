import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Low } from 'lowdb'
import type { UserRecord } from '../../core/types.js'
import type { Box, BoxFile, Op } from './box.js'
import { applyOp, opUser } from './box.js'
import { BoxCache, type BoxSnapshot } from './box-cache.js'
import { ACCOUNTS_SCHEMA, type AccountsFile, emptyAccounts } from './accounts-file.js'
import { BoxStore } from './box-store.js'
import { DurableJSONFile } from './durable-json-file.js'
import { DIR_MODE, type Fs, nodeFs } from './fs.js'
import { Journal } from './journal.js'
import { acquireLock, DataDirError } from './lock.js'
import { migrate } from './migrate.js'

export interface LowdbStoreOptions {
  fs?: Fs
  /** how many messages and reports the box cache holds before it evicts clean boxes */
  maxCachedItems?: number
  /** a checkpoint starts once the journal segment is this big… */
  checkpointBytes?: number
  /** …or this long after the last one, whichever comes first */
  checkpointIntervalMs?: number
  log?: (event: string, fields: Record<string, unknown>) => void
  /** hears how long each journal write took to reach the disk, in seconds (metrics) */
  onCommit?: (seconds: number) => void
}

/**
 * The embedded default store, under a data directory:
 *   accounts.json   users, their settings and server metadata (lowdb, durable writes)
 *   boxes/<u>.json  one lowdb file per user: messages waiting for them and reports for them
 *   journal/*.jsonl the write-ahead journal every change goes through first (group commit)
 * Box files are brought up to date from the journal at checkpoints; at boot the journal is replayed.
 */
export class LowdbStore extends BoxStore {
  readonly #boxes: BoxCache
  readonly #journal: Journal
  readonly #accountsFile: DurableJSONFile<AccountsFile>
  readonly #accountsDb: Low<AccountsFile>
  readonly #opts: Required<Omit<LowdbStoreOptions, 'fs' | 'onCommit'>>
  readonly #release: () => void
  #checkpoint: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #closed = false

  private constructor(readonly dir: string, fs: Fs, opts: LowdbStoreOptions, release: () => void) {
    super()
    this.#opts = {
      maxCachedItems: opts.maxCachedItems ?? 20_000,
      checkpointBytes: opts.checkpointBytes ?? 16 * 1024 * 1024,
      checkpointIntervalMs: opts.checkpointIntervalMs ?? 30_000,
      log: opts.log ?? (() => {}),
    }
    this.#release = release
    this.#boxes = new BoxCache(join(dir, 'boxes'), fs, this.#opts.maxCachedItems)
    this.#journal = new Journal(join(dir, 'journal'), fs, opts.onCommit)
    this.#accountsFile = new DurableJSONFile<AccountsFile>(join(dir, 'accounts.json'), fs)
    this.#accountsDb = new Low(this.#accountsFile, emptyAccounts())
  }

  static async open(dir: string, opts: LowdbStoreOptions = {}): Promise<LowdbStore> {
    try {
      mkdirSync(dir, { recursive: true, mode: DIR_MODE })
      chmodSync(dir, DIR_MODE) // a directory made by an earlier version, or by hand, is closed too
      for (const sub of ['boxes', 'journal']) mkdirSync(join(dir, sub), { recursive: true, mode: DIR_MODE })
    } catch (err) {
      throw new DataDirError(`cannot use ${dir} as the data directory: ${(err as Error).message}`)
    }
    const release = acquireLock(dir)
    const store = new LowdbStore(dir, opts.fs ?? nodeFs, opts, release)
    try {
      await store.#boot()
    } catch (err) {
      release()
      throw err
    }
    return store
  }

  async #boot(): Promise<void> {
    const started = performance.now()
    await this.#accountsDb.read()
    this.accounts = migrate<AccountsFile>('accounts.json', this.#accountsDb.data, ACCOUNTS_SCHEMA)
    this.#accountsDb.data = this.accounts
    for await (const box of this.#boxes.scan()) {
      for (const m of box.messages.values()) this.tally.addMessage(m)
      for (const r of box.reports.values()) this.tally.addReport(r)
    }
    const { segments, batches, skipped } = await this.#journal.readAll()
    let replayed = 0
    for (const ops of batches) {
      await this.#replay(ops)
      replayed += ops.length
    }
    await this.#journal.start(segments.at(-1) ?? 0)
    if (replayed > 0) await this.checkpoint()
    else if (segments.length) await this.#journal.removeUpTo(segments.at(-1)!)
    this.#timer = setInterval(() => this.#checkpointQuietly(), this.#opts.checkpointIntervalMs)
    this.#timer.unref()
    const t = this.tally.totals()
    this.#opts.log('store.open', {
      dir: this.dir, users: Object.keys(this.accounts.users).length, messages: t.messages, reports: t.reports,
      replayedOps: replayed, tornLines: skipped, ms: Math.round(performance.now() - started),
    })
  }

  async #replay(ops: Op[]): Promise<void> {
    for (const op of ops) {
      const user = opUser(op)
      const box = await this.box(user)
      this.countApplied(op, applyOp(box, op))
      this.#boxes.markDirty(user)
    }
  }

  /**
   * Writes every changed box and drops the journal segments they now cover. The snapshot is taken with the
   * commit gate closed, so it holds exactly what the closed segments hold: nothing that could still fail.
   */
  checkpoint(): Promise<void> {
    this.#checkpoint ??= (async () => {
      try {
        await this.gate.close()
        let closed: number
        let snapshots: BoxSnapshot[]
        try {
          closed = await this.#journal.rotate()
          snapshots = this.#boxes.snapshotDirty()
        } finally {
          this.gate.open()
        }
        await this.#boxes.writeSnapshots(snapshots)
        await this.#journal.removeUpTo(closed)
        this.#boxes.evict()
      } finally {
        this.#checkpoint = undefined
      }
    })()
    return this.#checkpoint
  }

  #checkpointQuietly(): void {
    this.checkpoint().catch((err) => this.#opts.log('store.checkpoint_failed', { error: String(err) }))
  }

  protected loadBox(user: string): Promise<void> {
    return this.#boxes.load(user)
  }

  protected cachedBox(user: string): Box | undefined {
    return this.#boxes.get(user)
  }

  protected touch(user: string): void {
    this.#boxes.markDirty(user)
  }

  protected async persist(ops: Op[]): Promise<void> {
    if (this.#closed) throw new Error('the store is closed')
    await this.#journal.append(ops)
    if (this.#journal.size >= this.#opts.checkpointBytes && !this.#checkpoint) this.#checkpointQuietly()
  }

  protected saveAccounts(): Promise<void> {
    return this.#accountsDb.write()
  }

  exclusive<T>(_name: string, work: () => Promise<T>): Promise<T | undefined> {
    return work() // the data directory is locked to this process (lock.ts)
  }

  /** bytes handed to the disk: journal, box files and accounts (for tests and benchmarks) */
  bytesWritten(): { journal: number; boxes: number; accounts: number; batches: number } {
    return {
      journal: this.#journal.bytesWritten,
      boxes: this.#boxes.bytesWritten,
      accounts: this.#accountsFile.bytesWritten,
      batches: this.#journal.batches,
    }
  }

  /** the accounts file as it is now: users (with their lists and quotas) and server metadata (pigeonhole migrate) */
  exportAccounts(): { users: UserRecord[]; meta: Record<string, string> } {
    return { users: Object.values(this.accounts.users), meta: { ...this.accounts.meta } }
  }

  /**
   * Every box as its file would hold it (waiting messages, reports, remembered outcomes), one at a time, for
   * pigeonhole migrate. Boxes read for this are let go again as it goes, so a large store is not held whole.
   */
  async *exportBoxes(): AsyncGenerator<BoxFile> {
    for (const user of await this.#boxes.users()) {
      yield (await this.box(user)).toFile()
      this.#boxes.evict()
    }
  }

  cachedBoxes(): number {
    return this.#boxes.size
  }

  protected diskBytes(): number {
    return this.#boxes.diskBytes() + this.#journal.size + JSON.stringify(this.accounts).length
  }

  /** a write just succeeded: that answers; otherwise one empty batch is written (so a health probe cannot drive the disk) */
  async checkWritable(): Promise<void> {
    if (!this.#journal.failing && Date.now() - this.#journal.lastSyncedAt < 5000) return
    await this.#journal.append([])
  }

  async close(): Promise<void> {
    if (this.#closed) return
    clearInterval(this.#timer)
    try {
      await this.checkpoint()
    } catch (err) {
      this.#opts.log('store.checkpoint_failed', { error: String(err) })
    }
    this.#closed = true
    await this.#journal.close()
    this.#release()
  }
}
