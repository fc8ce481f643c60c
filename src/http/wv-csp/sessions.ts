import type { Core } from '../../core/context.js'
import { attachSink } from '../../core/delivery.js'
import type { Delivery } from '../../core/hub.js'
import { PollQueue } from '../../core/poll-queue.js'
import { invalidSession } from '../../core/refusals.js'
import type { Session } from '../../core/sessions.js'
import type { StoredMessage } from '../../core/types.js'
import type { Version } from './version.js'

/** what this door keeps beside a core session: its poll queue, the client's limits, and server TIDs */
export interface WvSession {
  session: Session
  /** the Login-Request's SessionCookie: a CIR wake-up must carry it (S60) */
  cookie: string | undefined
  /** how many transactions the client takes in one answer (ClientCapability MultiTrans) */
  multiTrans: number
  queue: PollQueue
  detach: () => void
  /** deliveries taken from the queue and split one per transaction, not yet sent */
  backlog: Delivery[]
  /** server TIDs of DeliveryReport-Requests → the report each carried, acknowledged by the client's Status */
  reportTids: Map<string, string>
  /** the CSP version of the login: a WVCI line names it */
  version: Version
  /** the bound CIR channels: each writes a WVCI when the queue stops being empty */
  wakers: Set<() => void>
  /** messages handed out in an answer and not confirmed yet, by id: offered again if the phone lost that answer */
  offered: Map<string, { at: number; delivery: Delivery }>
}

/** how long a phone has to confirm a message it was handed before it is offered again (its answer may have been lost) */
export const REOFFER_AFTER_MS = 60_000

/** where this node's STCP listener can be reached, while it is up (advertised in ClientCapability) */
export interface CirEndpoint {
  /** undefined when the HTTP host is a wildcard and PIGEONHOLE_CIR_ADDRESS is not set: phones use the server's host */
  address: string | undefined
  port: number
}

const ofCore = new WeakMap<Core, WvSessions>()

/** the one WvSessions of a core: the HTTP route and the CIR listener share it */
export function wvSessionsOf(core: Core): WvSessions {
  let s = ofCore.get(core)
  if (!s) ofCore.set(core, (s = new WvSessions(core)))
  return s
}

/**
 * The WV-CSP sessions of this node, by SessionID. The SessionID is the core session's bearer token, not its id:
 * it is the only credential a WV-CSP request carries, and session ids reach logs and the bus. Each session has a
 * PollQueue attached to the hub without holding it: requests keep it alive, and what the hub delivers waits for
 * the next answer.
 */
export class WvSessions {
  readonly #live = new Map<string, WvSession>()
  /** sessions of another node being taken up: two requests at once take one up once */
  readonly #opening = new Map<string, Promise<WvSession>>()

  /** server TIDs are unique on this node across sessions: S60 drops a TID it has seen before */
  #tid = Date.now()

  /** set by the CIR listener while it is up */
  cir: CirEndpoint | undefined

  constructor(private readonly core: Core) {}

  freshTid(): string {
    return `s${(this.#tid++).toString(36)}`
  }

  async open(session: Session, cookie: string | undefined, version: Version = '1.2'): Promise<WvSession> {
    const wv: WvSession = {
      session, cookie, multiTrans: 1, queue: new PollQueue(), detach: () => {}, backlog: [], reportTids: new Map(), version, wakers: new Set(),
      offered: new Map(),
    }
    wv.queue = new PollQueue(() => this.wake(wv))
    this.#live.set(session.token, wv)
    await this.#attach(wv)
    return wv
  }

  /**
   * The live session a SessionID names, marked as seen; the core's 600 (timed out) or 604 otherwise. A phone
   * session another node started (several nodes on one database, no sticky proxy) is taken up here, its
   * deliveries queued on this node from now on; it keeps `version`, not its MultiTrans (one transaction per
   * answer, which every phone takes) nor its CIR channel (bound to the node it was made on).
   */
  async authenticate(sessionId: string | undefined, version: Version): Promise<WvSession> {
    const wv = sessionId === undefined ? undefined : this.#live.get(sessionId)
    if (wv) {
      this.core.sessions.authenticate(sessionId)
      return wv
    }
    const session = await this.core.sessions.authenticateAnywhere(sessionId)
    if (session.door !== 'wv-csp') throw invalidSession() // a session of another door (a JSON token) is not a WV-CSP session
    let opening = this.#opening.get(session.token)
    if (!opening) {
      opening = this.open(session, undefined, version).finally(() => this.#opening.delete(session.token))
      this.#opening.set(session.token, opening)
    }
    return opening
  }

  /** the live session a SessionID names, for a CIR HELO; undefined when there is none */
  find(sessionId: string): WvSession | undefined {
    const wv = this.#live.get(sessionId)
    if (!wv) return undefined
    try {
      this.core.sessions.authenticate(sessionId)
      return wv
    } catch {
      return undefined
    }
  }

  /** tells the phone's CIR channels that something waits (the queue calls this when it stops being empty) */
  wake(wv: WvSession): void {
    for (const w of wv.wakers) w()
  }

  /** a new delivery method: what waits is offered again the new way (clients de-duplicate by message id) */
  async reattach(wv: WvSession): Promise<void> {
    wv.detach()
    wv.queue = new PollQueue(() => this.wake(wv))
    wv.backlog = []
    await this.#attach(wv)
  }

  /** logout: forgotten at once (the core answers 604 for its SessionID from now on) */
  forget(wv: WvSession): void {
    wv.detach()
    this.#live.delete(wv.session.token)
  }

  /** up to `room` deliveries, oldest first, one transaction's worth each */
  async take(wv: WvSession, room: number): Promise<Delivery[]> {
    // deliveries were dropped for want of room in the queue: list what waits again once it has drained
    if (wv.queue.overflowed && wv.queue.size === 0 && wv.backlog.length === 0) await this.reattach(wv)
    while (wv.backlog.length < room && wv.queue.size > 0) {
      for (const d of wv.queue.take(1)) for (const one of split(d)) if (await this.#stillWaits(wv, one)) wv.backlog.push(one)
    }
    if (wv.backlog.length === 0) await this.#offerAgain(wv)
    const out = wv.backlog.splice(0, room)
    const now = this.core.clock.now()
    for (const d of out) {
      const m = messageOf(d)
      if (m) wv.offered.set(m.id, { at: now, delivery: d })
    }
    return out
  }

  /** what was handed out over a minute ago and still waits: the phone never confirmed it, so it comes again */
  async #offerAgain(wv: WvSession): Promise<void> {
    const due = this.core.clock.now() - REOFFER_AFTER_MS
    for (const [id, { at, delivery }] of wv.offered) {
      if (at > due) continue
      wv.offered.delete(id)
      if (await this.#stillWaits(wv, delivery)) wv.backlog.push(delivery)
    }
  }

  /** a message queued here may have been confirmed since through another door or node: it is not offered again */
  async #stillWaits(wv: WvSession, d: Delivery): Promise<boolean> {
    const m = messageOf(d)
    // a store that cannot answer now is no reason to drop it: the phone de-duplicates, and confirms once
    return !m || (await this.core.store.getMessage(wv.session.userId, m.id).catch(() => m)) !== undefined
  }

  waiting(wv: WvSession): boolean {
    return wv.backlog.length > 0 || wv.queue.size > 0
  }

  get size(): number {
    return this.#live.size
  }

  async #attach(wv: WvSession): Promise<void> {
    const queue = wv.queue
    wv.detach = await attachSink(this.core, wv.session, {
      deliver: (d) => queue.deliver(d),
      close: () => {
        queue.close()
        // the session ended in the core (logout elsewhere, expiry, forced logout, shutdown)
        if (this.#live.get(wv.session.token) === wv && wv.queue === queue) this.#live.delete(wv.session.token)
      },
    }, { holdsSession: false })
  }
}

/** the message a delivery offers (a NewMessage, or a notification of one), if any */
function messageOf(d: Delivery): StoredMessage | undefined {
  return d.type === 'NewMessage' ? d.message : d.type === 'MessageNotification' ? d.messages[0] : undefined
}

/** a notification of several messages is one MessageNotification transaction per message */
function split(d: Delivery): Delivery[] {
  if (d.type === 'MessageNotification' && d.messages.length > 1) return d.messages.map((m) => ({ type: 'MessageNotification', messages: [m] }))
  if (d.type === 'Disconnect') return [] // the session is gone: its SessionID answers 600/604 from now on
  return [d]
}
