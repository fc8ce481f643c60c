import type { Peer } from '../../config-peers.js'
import type { Core } from '../context.js'
import { settle } from '../reports.js'
import type { StoredMessage, StoredReport } from '../types.js'
import { Backlog } from './backlog.js'
import { type Backoff, nextDelay } from './backoff.js'
import { BatchRefused, type PeerLink, type RelayVerdict } from './peer-link.js'

export interface PeerStatus {
  domain: string
  url: string
  /** undefined until the first attempt */
  reachable: boolean | undefined
  lastError?: string
  lastErrorAt?: number
  /** the last attempt failed on this server's side (its store or database could not be read or written), not the peer's */
  failedHere?: boolean
  lastSuccessAt?: number
  nextAttemptAt?: number
  /** messages the peer accepted since this server started */
  relayed: number
}

/** schedules `run` in `ms`; returns the function that cancels it */
export type Schedule = (ms: number, run: () => void) => () => void

/**
 * The outbound queue to one peer: its backlog handed over one batch at a time (never two in flight to one
 * peer), each copy removed here only once the peer answered that it stored it durably or refused it. A failed
 * attempt is retried with exponential backoff and jitter. A batch the peer refuses for what it carries is
 * split until the one message it cannot take is found and settled, so one bad message never blocks the rest.
 */
export class PeerQueue {
  readonly status: PeerStatus
  readonly #backlog: Backlog
  /** `recipient\nid` of the copies in the batch in flight: the expiry sweep leaves them to this queue */
  readonly #inFlight = new Set<string>()
  #running: Promise<void> | undefined
  #again = false
  #cancelRetry: (() => void) | undefined
  #backoff: Backoff = { failures: 0 }
  #closed = false
  #rescannedAt = 0

  constructor(private readonly core: Core, peer: Peer, private readonly link: PeerLink, private readonly schedule: Schedule) {
    this.status = { domain: peer.domain, url: peer.url, reachable: undefined, relayed: 0 }
    this.#backlog = new Backlog(core, peer.domain)
  }

  /** something new waits for this peer (for `address`): hand it over now, unless a retry is scheduled after a failure */
  wake(address?: string): void {
    if (address) this.#backlog.told(address)
    else this.#backlog.rescan()
    this.#run()
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

  isInFlight(m: StoredMessage): boolean {
    return this.#inFlight.has(`${m.recipient}\n${m.id}`)
  }

  /** no new attempts; one in flight is not waited for (its copies stay queued until the peer's answer is applied) */
  close(): void {
    this.#closed = true
    this.#cancelRetry?.()
  }

  /** starts a drain, or has the one running go round once more (it may be past its last look) */
  #run(): void {
    if (this.#closed || this.#cancelRetry) return
    if (this.#running) this.#again = true
    else this.#running = this.#drain()
  }

  async #drain(): Promise<void> {
    try {
      // nodes on one database share the peer's backlog: one of them hands it over at a time. A wake that comes
      // while this node holds the lock, or lets go of it, is answered by going round again
      do {
        this.#again = false
        const drained = await this.core.store.exclusive(`relay ${this.status.domain}`, () => this.#sendAll())
        if (drained === undefined) return this.#later()
      } while (this.#again && !this.#closed)
      this.#backoff = { failures: 0 }
      this.status.reachable = true
      this.status.failedHere = false
      this.status.nextAttemptAt = undefined // a retry that was scheduled ran early (Retry now), or is moot
    } catch (err) {
      this.#failed(err)
    } finally {
      this.#running = undefined
    }
  }

  async #sendAll(): Promise<true> {
    this.#rescanNowAndThen()
    while (!this.#closed && (await this.#sendNextBatch())) { /* until nothing is left */ }
    return true
  }

  /**
   * What other nodes on the same store queued for this peer is known here only by a look at the whole backlog:
   * while this node holds the peer's lock under steady traffic, it looks at most once per retry interval.
   */
  #rescanNowAndThen(): void {
    const now = this.core.clock.now()
    if (now - this.#rescannedAt < this.core.config.relayRetryMinMs) return
    this.#rescannedAt = now
    this.#backlog.rescan()
  }

  /** another node holds the peer's lock: what this node was told of waits, and it looks again shortly */
  #later(): void {
    if (this.#closed) return
    this.#cancelRetry = this.schedule(this.core.config.relayRetryMinMs, () => {
      this.#cancelRetry = undefined
      this.#run()
    })
  }

  #failed(err: unknown): void {
    const now = this.core.clock.now()
    const delay = nextDelay(this.#backoff, this.core.config.relayRetryMinMs, this.core.config.relayRetryMaxMs)
    this.#backoff = { failures: this.#backoff.failures + 1 }
    this.#backlog.rescan()
    // only what the peer's link threw is the peer's; anything else (the lock, the backlog, a store write) failed
    // here, says nothing of the peer, and the admin is told where to look
    const here = !(err instanceof AtThePeer)
    const reachable = here ? this.status.reachable : false
    Object.assign(this.status, { reachable, failedHere: here, lastError: errorText(err), lastErrorAt: now, nextAttemptAt: now + delay })
    this.core.log('relay', 'attempt_failed', { peer: this.status.domain, error: errorText(err), retryInMs: delay })
    if (this.#closed) return
    this.#cancelRetry = this.schedule(delay, () => {
      this.#cancelRetry = undefined
      this.status.nextAttemptAt = undefined
      this.wake()
    })
  }

  /** hands over the next batch of messages and of reports; false when nothing waited */
  async #sendNextBatch(): Promise<boolean> {
    const { messages, reports } = await this.#backlog.next()
    if (messages.length) await this.#sendMessages(messages)
    if (reports.length) await this.#sendReports(reports)
    if (messages.length || reports.length) this.status.lastSuccessAt = this.core.clock.now()
    return messages.length + reports.length > 0
  }

  async #sendMessages(messages: StoredMessage[]): Promise<void> {
    const keys = messages.map((m) => `${m.recipient}\n${m.id}`)
    for (const k of keys) this.#inFlight.add(k)
    try {
      const verdicts = await atThePeer(this.link.sendMessages(messages))
      await Promise.all(messages.map((m, i) => this.#apply(m, verdicts[i])))
    } catch (err) {
      if (!(err instanceof BatchRefused)) throw err
      if (messages.length === 1) return this.#refusedAlone(messages[0], err)
      const half = Math.ceil(messages.length / 2)
      await this.#sendMessages(messages.slice(0, half))
      await this.#sendMessages(messages.slice(half))
    } finally {
      for (const k of keys) this.#inFlight.delete(k)
    }
  }

  async #sendReports(reports: StoredReport[]): Promise<void> {
    try {
      await atThePeer(this.link.sendReports(reports))
    } catch (err) {
      if (!(err instanceof BatchRefused)) throw err
      if (reports.length > 1) {
        const half = Math.ceil(reports.length / 2)
        await this.#sendReports(reports.slice(0, half))
        return this.#sendReports(reports.slice(half))
      }
      this.core.log('relay', 'report_refused', { peer: this.status.domain, report: reports[0].id, error: err.message })
    }
    // a report the peer cannot take is dropped like one it took: it would otherwise block every later one
    await Promise.all(reports.map((r) => this.core.store.removeReport(r.owner, r.id)))
  }

  /** the one message the peer cannot take: it ends here as the peer would have refused it */
  async #refusedAlone(m: StoredMessage, err: BatchRefused): Promise<void> {
    this.core.log('relay', 'message_refused', { peer: this.status.domain, id: m.id, error: err.message })
    await settle(this.core, m, err.status === 413 ? 413 : err.status === 415 ? 415 : 538)
  }

  async #apply(m: StoredMessage, verdict: RelayVerdict): Promise<void> {
    if (!verdict.accepted) {
      await settle(this.core, m, verdict.code)
      return
    }
    const removed = await this.core.store.removeMessage(m.recipient, m.id, { code: 202 })
    if (!removed) return
    this.status.relayed++
    this.core.bus.publish({ type: 'MessageRelayed', message: removed, domain: this.status.domain })
  }
}

/** an attempt that failed at the peer (or on the way there): its words, marked as the peer's */
class AtThePeer extends Error {}

/** the peer's answer; a failure other than a refused batch (which is split and retried) is marked as the peer's */
async function atThePeer<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (err) {
    throw err instanceof BatchRefused ? err : new AtThePeer(errorText(err), { cause: err })
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300)
}
