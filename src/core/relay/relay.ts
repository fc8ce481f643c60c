import type { Peer } from '../../config-peers.js'
import type { CoreEvent } from '../bus.js'
import type { Core } from '../context.js'
import type { StoredMessage } from '../types.js'
import { remoteDomain } from './address.js'
import type { PeerLink } from './peer-link.js'
import { type PeerStatus, PeerQueue, type Schedule } from './peer-queue.js'

const realTimers: Schedule = (ms, run) => {
  const t = setTimeout(run, ms)
  t.unref()
  return () => clearTimeout(t)
}

/**
 * The relay's outbound side: one queue per configured peer, woken by the bus when a copy is stored for one of
 * the peer's users or a report is filed for one, and at start for whatever waited across a restart.
 */
export class Relay {
  readonly #queues = new Map<string, PeerQueue>()
  #unsubscribe: (() => void) | undefined

  constructor(private readonly core: Core, linkTo: (peer: Peer) => PeerLink, schedule: Schedule = realTimers) {
    for (const peer of core.config.peers) this.#queues.set(peer.domain, new PeerQueue(core, peer, linkTo(peer), schedule))
  }

  /** a configured peer's domain */
  isPeer(domain: string): boolean {
    return this.#queues.has(domain)
  }

  start(): void {
    this.#unsubscribe ??= this.core.bus.subscribe((e) => this.#observe(e))
    for (const queue of this.#queues.values()) queue.wake()
  }

  /** one peer's state as its queue knows it (no store reads); undefined for a domain that is no peer */
  status(domain: string): PeerStatus | undefined {
    const q = this.#queues.get(domain)
    return q && { ...q.status }
  }

  /** each peer's state, with what waits for it now (messages and reports) */
  async statuses(): Promise<Array<PeerStatus & { queued: { messages: number; reports: number } }>> {
    return Promise.all([...this.#queues.values()].map(async (q) => {
      const usage = await this.core.store.usage(await this.core.store.waitingAt(q.status.domain))
      const messages = usage.reduce((n, u) => n + u.inbox.messages, 0)
      const reports = usage.reduce((n, u) => n + u.reports, 0)
      return { ...q.status, queued: { messages, reports } }
    }))
  }

  /** a copy in a batch on its way to a peer: its outcome is the peer's to decide, not the expiry sweep's */
  isInFlight(m: StoredMessage): boolean {
    const domain = remoteDomain(m.recipient)
    return domain !== undefined && (this.#queues.get(domain)?.isInFlight(m) ?? false)
  }

  /** tries every peer now, skipping the backoff; resolves when the attempts are done */
  async retryNow(domain?: string): Promise<void> {
    await Promise.all([...this.#queues.values()].filter((q) => !domain || q.status.domain === domain).map((q) => q.retryNow()))
  }

  /** resolves once no attempt is running */
  async idle(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.idle()))
  }

  close(): void {
    this.#unsubscribe?.()
    for (const queue of this.#queues.values()) queue.close()
  }

  #observe(e: CoreEvent): void {
    if (e.type === 'MessageStored') this.#wake(e.message.recipient)
    else if (e.type === 'MessageSettled' && e.report) this.#wake(e.report.owner)
  }

  #wake(address: string): void {
    const domain = remoteDomain(address)
    if (domain) this.#queues.get(domain)?.wake(address)
  }
}
