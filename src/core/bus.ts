import type { Code, Result } from './codes.js'
import type { StoredMessage, StoredReport } from './types.js'

/**
 * What happened in the core, told to whoever listens: the hub (which turns it into what each session is
 * sent), the dashboard's activity feed, and on a shared store the other nodes. Named for what happened; the
 * hub names what a client receives by the IMPS primitives (NewMessage, DeliveryReport, …).
 */
export type CoreEvent =
  /** a copy is durably stored for its recipient */
  | { type: 'MessageStored'; message: StoredMessage }
  /** a SendMessage was answered: each recipient's outcome (stored or refused) */
  | { type: 'MessageSent'; id: string; sender: string; outcomes: ReadonlyArray<readonly [string, Code]> }
  /** a copy reached its final state (200 delivered, 538 rejected, 542 expired, …), with the report it filed */
  | { type: 'MessageSettled'; message: StoredMessage; code: number; report?: StoredReport }
  /** a relay peer took a copy for one of its users off our queue (it stored it durably) */
  | { type: 'MessageRelayed'; message: StoredMessage; domain: string }
  /** a relay peer sent back a delivery report about a copy one of our users sent */
  | { type: 'ReportArrived'; report: StoredReport; domain: string }
  | { type: 'SessionStarted'; userId: string; sessionId: string }
  /** a session ended: 200 logout, 601 forced, 600 timed out, 503 server stopping */
  | { type: 'SessionEnded'; userId: string; sessionId: string; result: Result }
  /** a user published new presence attributes */
  | { type: 'PresenceUpdated'; userId: string }
  /** a session's settings changed: its presence subscriptions, capabilities or time-to-live (another node's copy follows) */
  | { type: 'SessionSettingsChanged'; userId: string; sessionId: string }
  /** who may see a user's presence may have changed (their contact or block lists) */
  | { type: 'PresenceRulesChanged'; userId: string }
  | { type: 'UserCreated'; userId: string }
  /** failed logins shut an address out of an account (or out of every account) */
  | { type: 'LoginLockedOut'; userId: string; address: string }
  | { type: 'MailboxPurged'; userId: string; count: number }

export type CoreListener = (e: CoreEvent) => void

/** The port events travel through. One node needs no more than LocalBus; several nodes share one. */
export interface Bus {
  publish(e: CoreEvent): void
  /** returns the function that stops listening */
  subscribe(listener: CoreListener): () => void
}

/** Events within one process, delivered synchronously in the order published; a failing listener harms no other. */
export class LocalBus implements Bus {
  readonly #listeners = new Set<CoreListener>()
  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  publish(e: CoreEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(e)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }

  subscribe(listener: CoreListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
