import { listsOf } from './contacts.js'
import type { Core } from './context.js'
import type { CoreEvent } from './ports.js'
import { viewOf } from './presence.js'
import type { Session } from './sessions.js'

/** the events after which a user's presence may read differently to someone */
function changedUser(e: CoreEvent): string | undefined {
  switch (e.type) {
    case 'SessionStarted':
    case 'SessionEnded':
    case 'PresenceUpdated':
    case 'PresenceRulesChanged':
      return e.userId
    default:
      return undefined
  }
}

/**
 * Sends a PresenceNotification to every session subscribed to a user (directly, or through one of its own
 * lists that holds them) whenever that user's presence may have changed: log in, log out, time-to-live
 * expiry, an update, a change of who may see it. Each watcher gets the view it may see.
 */
export function watchPresence(core: Core): void {
  core.bus.subscribe((e) => {
    const userId = changedUser(e)
    if (userId !== undefined) presenceMayHaveChanged(core, userId)
  })
}

/** tells each session watching the user what it may now see of them */
export function presenceMayHaveChanged(core: Core, userId: string): void {
  notifyWatchers(core, userId).catch((err) => core.log('presence', 'notify_failed', { user: userId, error: String(err) }))
}

async function notifyWatchers(core: Core, userId: string): Promise<void> {
  const candidates = core.sessions.all().filter((s) => s.watching.users.has(userId) || s.watching.lists.size > 0)
  if (!candidates.length) return
  const owner = await core.store.getUser(userId)
  if (!owner) return
  for (const session of candidates) {
    if (session.watching.users.has(userId) || (await watchesThroughList(core, session, userId))) {
      core.hub.deliverTo(session, { type: 'PresenceNotification', presence: [viewOf(core, owner, session.userId)] })
    }
  }
}

async function watchesThroughList(core: Core, session: Session, userId: string): Promise<boolean> {
  const viewer = await core.store.getUser(session.userId)
  if (!viewer) return false
  return listsOf(viewer).some((l) => session.watching.lists.has(l.name) && l.contacts.some((c) => c.userId === userId))
}
