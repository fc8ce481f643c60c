import type { Core } from '../context.js'
import { settle } from '../reports.js'
import type { StoredMessage, StoredReport } from '../types.js'

/** how much one request to a peer carries at most: a batch the peer stores in one durable step */
export const BATCH = { messages: 100, reports: 100, bytes: 512 * 1024 }

export interface Batch {
  messages: StoredMessage[]
  reports: StoredReport[]
}

/**
 * What waits in the store for one peer's addresses, taken a batch at a time from the front. It looks only at
 * the addresses it was told of since the last batch (the bus tells it of each new copy or report), and at
 * every address the store holds for the peer after a start or a failed attempt, so a batch does not cost the
 * whole queue and nothing told of is missed.
 */
export class Backlog {
  /** addresses told of and not yet looked at since (oldest first) */
  readonly #hinted = new Set<string>()
  #scanAll = true

  constructor(private readonly core: Core, private readonly domain: string) {}

  told(address: string): void {
    this.#hinted.add(address)
  }

  /** the next batch may miss something (a start, a failure): look at everything the store holds for the peer */
  rescan(): void {
    this.#scanAll = true
  }

  /** the oldest of what waits, within a batch's bounds; copies whose validity ended are settled as 542 on the way */
  async next(): Promise<Batch> {
    const batch: Batch = { messages: [], reports: [] }
    const state = { bytes: 0 }
    for (const address of await this.#addressesToLook()) {
      if (this.#full(batch, state.bytes) && batch.reports.length >= BATCH.reports) break
      this.#hinted.delete(address) // before reading: a copy stored from now on tells of it again
      const everything = await this.#take(address, batch, state)
      if (!everything) this.#hinted.add(address) // the rest goes in a later batch
    }
    return batch
  }

  async #addressesToLook(): Promise<string[]> {
    if (!this.#scanAll) return [...this.#hinted]
    this.#scanAll = false
    const all = await this.core.store.waitingAt(this.domain)
    for (const a of all) this.#hinted.add(a)
    return all
  }

  /** adds what waits for `address` to the batch while it fits; true if all of it went in */
  async #take(address: string, batch: Batch, state: { bytes: number }): Promise<boolean> {
    const store = this.core.store
    const full = this.#full(batch, state.bytes)
    const [waiting, filed] = await Promise.all([full ? [] : store.listMessages(address), store.listReports(address)])
    const now = this.core.clock.now()
    let left = full ? 1 : 0
    for (const m of waiting) {
      if (m.validUntil <= now) await settle(this.core, m, 542)
      else if (!this.#full(batch, state.bytes) && (batch.messages.length === 0 || state.bytes + m.size <= BATCH.bytes)) {
        batch.messages.push(m)
        state.bytes += m.size
      } else left++
    }
    const room = Math.max(0, BATCH.reports - batch.reports.length)
    batch.reports.push(...filed.slice(0, room))
    return left === 0 && filed.length <= room
  }

  #full(batch: Batch, bytes: number): boolean {
    return batch.messages.length >= BATCH.messages || bytes >= BATCH.bytes
  }
}
