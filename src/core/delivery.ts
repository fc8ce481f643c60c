import { isBlocked } from './blocklist.js'
import type { Core } from './context.js'
import type { Sink } from './hub.js'
import { settle } from './reports.js'
import type { Session } from './sessions.js'
import type { StoredMessage, UserRecord } from './types.js'

/** why a stored copy must be dropped unseen now: expired (542) or its sender since blocked (532) */
export function dropReason(user: UserRecord | undefined, m: StoredMessage, now: number): 532 | 542 | undefined {
  if (m.validUntil <= now) return 542
  if (user && isBlocked(user, m.sender)) return 532
  return undefined
}

/**
 * The messages a user may be shown now, oldest first. On the way, a copy that expired is settled as 542 and
 * one whose sender the user has since blocked as 532: neither is ever shown.
 */
export async function pendingFor(core: Core, userId: string): Promise<StoredMessage[]> {
  const user = core.store.getUser(userId)
  const now = core.clock.now()
  const keep: StoredMessage[] = []
  const drops: Promise<unknown>[] = []
  for (const m of await core.store.listMessages(userId)) {
    const reason = dropReason(user, m, now)
    if (reason) drops.push(settle(core, m, reason))
    else keep.push(m)
  }
  // a drop that cannot be written now is retried on the next look; the copy stays hidden either way
  for (const r of await Promise.allSettled(drops)) {
    if (r.status === 'rejected') core.log('delivery', 'drop_failed', { user: userId, error: String(r.reason) })
  }
  return keep
}

/** a new event stream: first what waits, by the session's method, then the reports waiting for the user */
export async function deliverOnConnect(core: Core, session: Session, sink: Sink): Promise<void> {
  const waiting = await pendingFor(core, session.userId)
  const method = session.capabilities.deliveryMethod
  if (method === 'push') for (const message of waiting) sink.send({ event: 'message', message })
  if (method === 'notify' && waiting.length) sink.send({ event: 'notification', messages: waiting })
  for (const report of await core.store.listReports(session.userId)) sink.send({ event: 'report', report })
}

/** hands freshly stored copies to their recipients' open streams, each session by its method */
export function deliverNow(core: Core, copies: StoredMessage[]): void {
  for (const message of copies) {
    for (const session of core.hub.connectedSessions(message.recipient)) {
      const method = session.capabilities.deliveryMethod
      if (method === 'push') core.hub.emit(session, { event: 'message', message })
      if (method === 'notify') core.hub.emit(session, { event: 'notification', messages: [message] })
    }
  }
}
