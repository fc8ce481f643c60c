import type { AdminSessionRecords } from './admin-sessions.js'
import type { FailureLog } from './throttle.js'

/**
 * What the core needs from outside, as narrow interfaces: where things are kept (Store), how events travel
 * between sessions and nodes (Bus), the time (Clock) and fresh identifiers (Ids).
 */
export type { Store, NewCopy, CopyLimits, CopyVerdict, Settlement, UserUsage, StoreStats, MailboxSummary } from '../store/store.js'
export type { Bus, CoreEvent, CoreListener } from './bus.js'
export type { Clock, Ids } from './clock.js'
export type { AdminSessionRecords, FailureLog }

/**
 * What must agree across nodes beside the Store: failed logins (a lockout on one node holds on all) and
 * dashboard logins. Absent, each is kept in this process, as one node needs.
 */
export interface SharedState {
  failures: FailureLog
  adminSessions: AdminSessionRecords
}
