import type { CoreEvent } from './bus.js'
import type { Result } from './codes.js'
import type { PresenceView } from './presence.js'
import type { Session, SessionTable } from './sessions.js'
import type { StoredMessage, StoredReport } from './types.js'

/** What a session is sent, named by the IMPS server-initiated primitives; each door renders them its own way. */
export type Delivery =
  | { type: 'NewMessage'; message: StoredMessage }
  | { type: 'MessageNotification'; messages: StoredMessage[] }
  | { type: 'DeliveryReport'; report: StoredReport }
  | { type: 'PresenceNotification'; presence: PresenceView[] }
  | { type: 'Disconnect'; result: Result }

/**
 * how many ids of what it was handed the hub remembers per session: settled copies are forgotten at once, so
 * this bounds what a client leaves unconfirmed (a re-read finds at most a mailbox's worth)
 */
const HANDED_KEPT = 2_048

/** a delivery minus the messages and reports in `seen` (undefined when nothing is left) */
export function minusSeen(d: Delivery, seen: ReadonlySet<string>): Delivery | undefined {
  switch (d.type) {
    case 'NewMessage':
      return seen.has(d.message.id) ? undefined : d
    case 'DeliveryReport':
      return seen.has(d.report.id) ? undefined : d
    case 'MessageNotification': {
      const messages = d.messages.filter((m) => !seen.has(m.id))
      return messages.length ? { type: 'MessageNotification', messages } : undefined
    }
    default:
      return d
  }
}

function idsOf(d: Delivery): string[] {
  if (d.type === 'NewMessage') return [d.message.id]
  if (d.type === 'DeliveryReport') return [d.report.id]
  if (d.type === 'MessageNotification') return d.messages.map((m) => m.id)
  return []
}

/** Where a session's deliveries go: an event stream, a queue a phone polls, a wake-up channel. */
export interface Sink {
  deliver(d: Delivery): void
  close(): void
  /** a promise while the sink cannot take more (a long backlog is written at the pace the client reads) */
  ready?(): Promise<void> | undefined
}

export interface AttachOptions {
  /** an open stream or a bound wake-up channel keeps its session alive; a poll queue does not */
  holdsSession: boolean
}

/**
 * The sinks of the sessions on this node, and the rules that turn core events into deliveries: a new message
 * goes to each of the recipient's connected sessions by its delivery method (push: NewMessage, notify:
 * MessageNotification, pull: nothing), a report to every connected session of its owner, a session's end
 * to that session's sinks, which then close.
 */
export class Hub {
  readonly #sinks = new Map<Session, Map<Sink, AttachOptions>>()
  /**
   * the ids of messages and reports each session was handed, so that one heard of twice (a re-read after a
   * lost cross-node hint, a hint racing a stream's connect) reaches it once
   */
  readonly #handed = new WeakMap<Session, Set<string>>()

  constructor(private readonly sessions: SessionTable) {}

  /**
   * Registers a sink; the returned function unregisters it. Letting go of a hold restarts the session's
   * time-to-live from now, or from `lastHeard` when the holder knows the client went quiet earlier (a wake-up
   * channel found dead).
   */
  attach(session: Session, sink: Sink, opts: AttachOptions): (lastHeard?: number) => void {
    let sinks = this.#sinks.get(session)
    if (!sinks) this.#sinks.set(session, (sinks = new Map()))
    sinks.set(sink, opts)
    if (opts.holdsSession) session.holds++
    let attached = true
    return (lastHeard) => {
      if (!attached) return
      attached = false
      sinks.delete(sink)
      if (sinks.size === 0 && this.#sinks.get(session) === sinks) this.#sinks.delete(session)
      if (opts.holdsSession) {
        session.holds--
        // the time-to-live counts from the moment the last hold went away
        this.sessions.touch(session, lastHeard)
      }
    }
  }

  /** reacts to what happened in the core (subscribed to the bus) */
  observe(e: CoreEvent): void {
    if (e.type === 'MessageStored') this.#newMessage(e.message)
    else if (e.type === 'MessageSettled') this.#settled(e.message, e.report)
    else if (e.type === 'ReportArrived') this.deliverToUser(e.report.owner, { type: 'DeliveryReport', report: e.report })
    else if (e.type === 'SessionEnded') this.#end(e.sessionId, e.userId, e.result)
  }

  /** tells every sink why it ends (the server stops), then closes them */
  closeAll(result: Result): void {
    for (const session of [...this.#sinks.keys()]) this.#closeSession(session, result)
  }

  sinkCount(): number {
    let n = 0
    for (const sinks of this.#sinks.values()) n += sinks.size
    return n
  }

  #newMessage(message: StoredMessage): void {
    for (const session of this.#connectedSessions(message.recipient)) {
      const method = session.capabilities.deliveryMethod
      if (method === 'push') this.#deliver(session, { type: 'NewMessage', message })
      if (method === 'notify') this.#deliver(session, { type: 'MessageNotification', messages: [message] })
    }
  }

  /** a settled copy is never handed again (the hub forgets it had been); its report goes to the sender */
  #settled(message: StoredMessage, report: StoredReport | undefined): void {
    for (const session of this.sessions.ofUser(message.recipient)) this.#handed.get(session)?.delete(message.id)
    if (report) this.deliverToUser(report.owner, { type: 'DeliveryReport', report })
  }

  /** hands every connected session of a user a delivery (a report, say) */
  deliverToUser(userId: string, d: Delivery): void {
    for (const session of this.#connectedSessions(userId)) this.#deliver(session, d)
  }

  /** the users with a sink on this node */
  connectedUsers(): string[] {
    return [...new Set([...this.#sinks.keys()].map((s) => s.userId))]
  }

  /** what a session was sent outside the hub (what waited when its sink attached): not to be sent again */
  handed(session: Session, ids: Iterable<string>): void {
    let seen = this.#handed.get(session)
    if (!seen) this.#handed.set(session, (seen = new Set()))
    for (const id of ids) {
      seen.delete(id) // re-added last: the set forgets the oldest first
      seen.add(id)
    }
    for (const oldest of seen) {
      if (seen.size <= HANDED_KEPT) break
      seen.delete(oldest)
    }
  }

  #end(sessionId: string, userId: string, result: Result): void {
    for (const session of this.#sinks.keys()) {
      if (session.id === sessionId && session.userId === userId) this.#closeSession(session, result)
    }
  }

  #closeSession(session: Session, result: Result): void {
    for (const sink of [...(this.#sinks.get(session)?.keys() ?? [])]) {
      sink.deliver({ type: 'Disconnect', result })
      sink.close()
    }
  }

  #connectedSessions(userId: string): Session[] {
    return this.sessions.ofUser(userId).filter((s) => this.#sinks.has(s))
  }

  /** hands one session's sinks a delivery (a presence notification, say) */
  deliverTo(session: Session, d: Delivery): void {
    this.#deliver(session, d)
  }

  #deliver(session: Session, d: Delivery): void {
    const sinks = this.#sinks.get(session)
    if (!sinks?.size) return
    const fresh = this.#notHanded(session, d)
    if (!fresh) return
    for (const sink of sinks.keys()) sink.deliver(fresh)
  }

  /** the delivery minus what the session was already handed (undefined if nothing is left), noted as handed */
  #notHanded(session: Session, d: Delivery): Delivery | undefined {
    const seen = this.#handed.get(session)
    const out = seen ? minusSeen(d, seen) : d
    if (out) this.handed(session, idsOf(out))
    return out
  }
}
