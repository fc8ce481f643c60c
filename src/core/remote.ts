import { CODES, type Code, result } from './codes.js'
import type { Core } from './context.js'
import { pendingFor } from './delivery.js'
import { endSession } from './login.js'
import type { SessionSettings } from './peers.js'
import { presenceOfMany } from './presence.js'
import { presenceMayHaveChanged } from './presence-watch.js'
import type { Session } from './sessions.js'
import type { StoredMessage, StoredReport } from './types.js'

/**
 * What another node sharing the store did, told to this node's sessions: new messages and reports reach the
 * connected sessions (each at most once: the hub remembers what it handed), a change in someone's presence
 * reaches whoever watches them here. Nothing here is counted or shown as this node's own activity.
 */

/** messages stored by another node, for recipients who may be connected here */
export function messagesArrived(core: Core, messages: StoredMessage[]): void {
  for (const message of messages) core.hub.observe({ type: 'MessageStored', message })
}

/** reports filed by another node, for senders who may be connected here */
export function reportsArrived(core: Core, reports: StoredReport[]): void {
  for (const report of reports) core.hub.deliverToUser(report.owner, { type: 'DeliveryReport', report })
}

/** someone logged in or out, or published, on another node */
export function presenceChangedElsewhere(core: Core, userId: string): void {
  presenceMayHaveChanged(core, userId)
}

/** a session ended for good on another node (logout, forced out, its account disabled): its copy here ends too, its sinks told why */
export function sessionEndedElsewhere(core: Core, sessionId: string, code: number): void {
  const session = core.sessions.byId(sessionId)
  if (!session) return
  core.sessions.end(session)
  const why = code in CODES ? (code as Code) : 604
  core.hub.observe({ type: 'SessionEnded', userId: session.userId, sessionId, result: result(why) })
}

/**
 * A session this node holds a copy of changed its settings on another node (a client behind a balancer that
 * subscribes or switches to push on one node and streams from another): this copy takes the same capabilities,
 * time-to-live and subscriptions, and its sinks get the current state of whom it now watches, as a subscription
 * here would send it.
 */
export async function settingsChangedElsewhere(core: Core, session: Session, { watching, capabilities, ttlSeconds }: SessionSettings): Promise<void> {
  session.capabilities = capabilities
  session.ttlSeconds = ttlSeconds
  const users = watching.users.filter((u) => !session.watching.users.has(u))
  const lists = watching.lists.filter((l) => !session.watching.lists.has(l))
  session.watching = { users: new Set(watching.users), lists: new Set(watching.lists) }
  if (!users.length && !lists.length) return
  const views = await presenceOfMany(core, session.userId, { users, lists })
  if (views.length) core.hub.deliverTo(session, { type: 'PresenceNotification', presence: views })
}

/** a client logged in on another node: its older sessions here are forced out (601), as a login here would do */
export function clientLoggedInElsewhere(core: Core, userId: string, clientId: string, sessionId: string): void {
  for (const old of core.sessions.ofUser(userId)) {
    if (old.clientId === clientId && old.id !== sessionId) endSession(core, old, 601)
  }
}

/**
 * Re-reads what waits for users connected here (all of them by default) and hands on what they were not sent
 * yet: after a lost hint (the cross-node link was down), nothing waits longer than that.
 */
export async function catchUp(core: Core, users: string[] = core.hub.connectedUsers()): Promise<void> {
  for (const user of users) {
    const [messages, reports] = await Promise.all([pendingFor(core, user), core.store.listReports(user)])
    messagesArrived(core, messages)
    reportsArrived(core, reports)
  }
}

/**
 * Accounts changed elsewhere (another node, the command line): a local session of one that is now disabled or
 * gone ends at once (601), as it would had the change been made here.
 */
export async function accountsChangedElsewhere(core: Core, userIds: string[]): Promise<void> {
  for (const userId of userIds) {
    const sessions = core.sessions.ofUser(userId)
    if (!sessions.length) continue
    const user = await core.store.getUser(userId)
    if (user && !user.disabled) continue
    for (const session of sessions) endSession(core, session, 601)
  }
}
