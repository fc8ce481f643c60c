import type { Peer } from '../../config-peers.js'
import type { Core } from '../context.js'
import { settle } from '../reports.js'
import type { StoredMessage, StoredReport } from '../types.js'
import { type Backoff, nextDelay } from './backoff.js'
import type { PeerLink, RelayVerdict } from './peer-link.js'

/** how much one request to a peer carries at most: a batch the peer stores in one durable step */
const BATCH_MESSAGES = 100
const BATCH_BYTES = 512 * 1024

export interface PeerStatus {
  domain: string
  url: string
  /** undefined until the first attempt */
  reachable: boolean | undefined
  lastError?: string
  lastErrorAt?: number
  lastSuccessAt?: number
  nextAttemptAt?: number
  /** messages the peer accepted since this server started */
  relayed: number
}

/** schedules `run` in `ms`; returns the function that cancels it */
export type Schedule = (ms: number, run: () => void) => () => void

/**
 * The outbound queue to one peer: what waits in the store for its addresses, handed over one batch at a time
 * (never two in flight to one peer), each copy removed here only once the peer answered that it stored it
 * durably or refused it. A failed attempt is retried with exponential backoff and jitter; a copy whose validity
 * ends meanwhile is settled here as 542, like any other.
 */
export class PeerQueue {
  readonly status: PeerStatus
  #running: Promise<void> | undefined
  #again = false
  #cancelRetry: (() => void) | undefined
  #backoff: Backoff = { failures: 0 }
  #closed = false
  /** addresses told of since the last look (oldest first); the store is read whole only when this may miss some */
  readonly #hinted = new Set<string>()
  #scanAll = true

  constructor(private readonly core: Core, peer: Peer, private readonly link: PeerLink, private readonly schedule: Schedule) {
    this.status = { domain: peer.domain, url: peer.url, reachable: undefined, relayed: 0 }
  }

  /** something new waits for this peer (for `address`): hand it over now, unless a retry is already scheduled after a failure */
  wake(address?: string): void {
    if (address) this.#hinted.add(address)
    else this.#scanAll = true
    if (this.#closed || this.#cancelRetry) return
    if (this.#running) this.#again = true
    else this.#running = this.#drain()
  }

  /** an admin asked: try now even if a retry is scheduled; resolves when that attempt is over */
  async retryNow(): Promise<void> {
    await this.idle() // an attempt in flight ends first: never two at once to one peer
    this.#cancelRetry?.()
    this.#cancelRetry = undefined
    this.wake() // with no address: everything the store holds for the peer is looked at
    await this.idle()
  }

  /** resolves when no attempt is running (tests and shutdown) */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve()
  }

  /** no new attempts; one in flight is not waited for (its copies stay queued until the peer's answer is applied) */
  close(): void {
    this.#closed = true
    this.#cancelRetry?.()
  }

  async #drain(): Promise<void> {
    try {
      do {
        this.#again = false
        while (!this.#closed && (await this.#handOverOneBatch())) { /* until nothing is left */ }
      } while (this.#again && !this.#closed)
      this.#backoff = { failures: 0 }
      this.status.reachable = true
    } catch (err) {
      this.#failed(err)
    } finally {
      this.#running = undefined
    }
  }

  #failed(err: unknown): void {
    const now = this.core.clock.now()
    const delay = nextDelay(this.#backoff, this.core.config.relayRetryMinMs, this.core.config.relayRetryMaxMs)
    this.#backoff = { failures: this.#backoff.failures + 1 }
    this.#scanAll = true
    Object.assign(this.status, { reachable: false, lastError: errorText(err), lastErrorAt: now, nextAttemptAt: now + delay })
    this.core.log('relay', 'attempt_failed', { peer: this.status.domain, error: errorText(err), retryInMs: delay })
    if (this.#closed) return
    this.#cancelRetry = this.schedule(delay, () => {
      this.#cancelRetry = undefined
      this.status.nextAttemptAt = undefined
      this.wake()
    })
  }

  /** hands over one batch of messages, then one of reports; false when nothing waited */
  async #handOverOneBatch(): Promise<boolean> {
    const { messages, reports } = await this.#nextBatch()
    if (messages.length) await this.#handOverMessages(messages)
    if (reports.length) {
      await this.link.sendReports(reports)
      await Promise.all(reports.map((r) => this.core.store.removeReport(r.owner, r.id)))
      this.status.lastSuccessAt = this.core.clock.now()
    }
    return messages.length + reports.length > 0
  }

  async #handOverMessages(messages: StoredMessage[]): Promise<void> {
    const verdicts = await this.link.sendMessages(messages)
    if (verdicts.length !== messages.length) throw new Error(`the peer answered ${verdicts.length} verdicts for ${messages.length} messages; they stay queued`)
    await Promise.all(messages.map((m, i) => this.#apply(m, verdicts[i])))
    this.status.lastSuccessAt = this.core.clock.now()
  }

  async #apply(m: StoredMessage, verdict: RelayVerdict): Promise<void> {
    if (verdict.accepted) {
      const removed = await this.core.store.removeMessage(m.recipient, m.id, { code: 202 })
      if (!removed) return
      this.status.relayed++
      this.core.bus.publish({ type: 'MessageRelayed', message: removed, domain: this.status.domain })
    } else {
      await settle(this.core, m, verdict.code)
    }
  }

  /** what waits for this peer, oldest mailbox first, within a batch's bounds; expired copies are settled on the way */
  async #nextBatch(): Promise<{ messages: StoredMessage[]; reports: StoredReport[] }> {
    const store = this.core.store
    const now = this.core.clock.now()
    const messages: StoredMessage[] = []
    const reports: StoredReport[] = []
    let bytes = 0
    const full = () => messages.length >= BATCH_MESSAGES || bytes >= BATCH_BYTES
    // after a start or a failure, everything the store holds for the peer; else the addresses told of since
    const addresses = this.#scanAll ? await store.waitingAt(this.status.domain) : [...this.#hinted]
    if (this.#scanAll) for (const a of addresses) this.#hinted.add(a)
    this.#scanAll = false
    for (const address of addresses) {
      if (full() && reports.length >= BATCH_MESSAGES) break
      this.#hinted.delete(address) // before reading: a copy stored from now on hints it again
      const [waiting, filed] = await Promise.all([full() ? [] : store.listMessages(address), store.listReports(address)])
      let taken = 0
      for (const m of waiting) {
        if (m.validUntil <= now) {
          await settle(this.core, m, 542)
          taken++
        } else if (!full() && (messages.length === 0 || bytes + m.size <= BATCH_BYTES)) {
          messages.push(m)
          bytes += m.size
          taken++
        }
      }
      const reportsTaken = Math.min(filed.length, BATCH_MESSAGES - reports.length)
      reports.push(...filed.slice(0, reportsTaken))
      // what did not fit is looked at again for the next batch (a failure rescans everything anyway)
      if (taken < waiting.length || reportsTaken < filed.length || full()) this.#hinted.add(address)
    }
    return { messages, reports }
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300)
}
