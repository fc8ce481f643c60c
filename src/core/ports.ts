/**
 * What the core needs from outside, as narrow interfaces: where things are kept (Store), how events travel
 * between sessions and nodes (Bus), the time (Clock) and fresh identifiers (Ids).
 */
export type { Store, NewCopy, CopyLimits, CopyVerdict, Settlement, UserUsage, StoreStats, MailboxSummary } from '../store/store.js'
export type { Bus, CoreEvent, CoreListener } from './bus.js'
export type { Clock, Ids } from './clock.js'
