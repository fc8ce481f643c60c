import { isBlocked } from './blocklist.js'
import type { Core } from './context.js'
import type { ServerEvent, Sink } from './hub.js'
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

/**
 * A new event stream: it joins the hub at once, then gets what waits (by the session's method) and the reports
 * waiting for the user. Whatever arrives live meanwhile is held and sent after that, minus what the waiting
 * list already carried: every message once, oldest first. Returns the function that detaches the stream.
 */
export async function connectStream(core: Core, session: Session, sink: Sink): Promise<() => void> {
  const held: ServerEvent[] = []
  let holding = true
  const detach = core.hub.attach(session, {
    send: (e) => (holding && e.event !== 'session' ? held.push(e) : sink.send(e)),
    close: () => sink.close(),
  })
  const sent = new Set<string>()
  try {
    const waiting = await pendingFor(core, session.userId)
    const method = session.capabilities.deliveryMethod
    if (method === 'push') {
      for (const message of waiting) {
        sink.send({ event: 'message', message })
        const full = sink.ready?.()
        if (full) await full
      }
    }
    if (method === 'notify' && waiting.length) sink.send({ event: 'notification', messages: waiting })
    if (method !== 'pull') for (const m of waiting) sent.add(m.id)
    for (const report of await core.store.listReports(session.userId)) {
      sink.send({ event: 'report', report })
      sent.add(report.id)
      const full = sink.ready?.()
      if (full) await full
    }
  } catch (err) {
    // the stream stays: what could not be read now goes out on the next stream
    core.log('delivery', 'connect_failed', { session: session.id, error: String(err) })
  } finally {
    holding = false
    for (const e of held) {
      const fresh = notYetSent(e, sent)
      if (fresh) sink.send(fresh)
    }
  }
  return detach
}

function notYetSent(e: ServerEvent, sent: Set<string>): ServerEvent | undefined {
  switch (e.event) {
    case 'message':
      return sent.has(e.message.id) ? undefined : e
    case 'report':
      return sent.has(e.report.id) ? undefined : e
    case 'notification': {
      const messages = e.messages.filter((m) => !sent.has(m.id))
      return messages.length ? { event: 'notification', messages } : undefined
    }
    default:
      return e
  }
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
