import { isBlocked } from './blocklist.js'
import type { Core } from './context.js'
import { type AttachOptions, type Delivery, minusSeen, type Sink } from './hub.js'
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
  const [user, stored] = await Promise.all([core.store.getUser(userId), core.store.listMessages(userId)])
  const now = core.clock.now()
  const keep: StoredMessage[] = []
  const drops: Promise<unknown>[] = []
  for (const m of stored) {
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

/**
 * Attaches a sink to a session (an event stream, a poll queue, …) and sends it what waits, by the session's
 * method, then the reports waiting for the user. Whatever arrives meanwhile is held and sent after that, minus
 * what the waiting list already carried: every message once, oldest first, whatever the kind of sink.
 * Returns the function that detaches the sink.
 */
export async function attachSink(core: Core, session: Session, sink: Sink, opts: AttachOptions): Promise<() => void> {
  const held: Delivery[] = []
  let holding = true
  const detach = core.hub.attach(session, {
    deliver: (d) => (holding && d.type !== 'Disconnect' ? held.push(d) : sink.deliver(d)),
    close: () => sink.close(),
  }, opts)
  const sent = new Set<string>()
  const paced = async (d: Delivery) => {
    sink.deliver(d)
    const full = sink.ready?.()
    if (full) await full
  }
  try {
    const waiting = await pendingFor(core, session.userId)
    const method = session.capabilities.deliveryMethod
    if (method === 'push') for (const message of waiting) await paced({ type: 'NewMessage', message })
    if (method === 'notify' && waiting.length) sink.deliver({ type: 'MessageNotification', messages: waiting })
    if (method !== 'pull') for (const m of waiting) sent.add(m.id)
    for (const report of await core.store.listReports(session.userId)) {
      await paced({ type: 'DeliveryReport', report })
      sent.add(report.id)
    }
  } catch (err) {
    // the sink stays: what could not be read now goes out on the next attach
    core.log('delivery', 'connect_failed', { session: session.id, error: String(err) })
  } finally {
    core.hub.handed(session, sent)
    holding = false
    for (const d of held) {
      const fresh = minusSeen(d, sent)
      if (fresh) sink.deliver(fresh)
    }
  }
  return detach
}
