import { requireUser } from './accounts.js'
import { isBlocked } from './blocklist.js'
import { hasContact, listsOf, normaliseListName } from './contacts.js'
import type { Core } from './context.js'
import { badParameter } from './refusals.js'
import type { Session } from './sessions.js'
import type { Availability, PublishedPresence, UserRecord } from './types.js'

/** a user's presence as one viewer may see it; someone the viewer may not see reads as offline, nothing more */
export interface PresenceView {
  userId: string
  /** derived from sessions: logged in = online; never published by a client */
  online: boolean
  lastSeen?: number
  availability?: Availability
  statusText?: string
  clientType?: string
}

export const AVAILABILITIES: readonly Availability[] = ['AVAILABLE', 'DISCREET', 'NOT_AVAILABLE']
export const STATUS_TEXT_MAX = 40
const NOTHING_PUBLISHED: PublishedPresence = { availability: 'AVAILABLE', statusText: '', clientType: '' }

/** PROTOCOL.md 8: only someone the owner has in a contact list (or anyone, with `all`), and never one they block */
export function canSee(core: Core, owner: UserRecord, viewer: string): boolean {
  if (owner.id === viewer) return true
  if (isBlocked(owner, viewer)) return false
  return core.config.presence === 'all' || hasContact(owner, viewer)
}

export function viewOf(core: Core, owner: UserRecord, viewer: string): PresenceView {
  if (!canSee(core, owner, viewer)) return { userId: owner.id, online: false }
  const online = core.sessions.online(owner.id)
  const lastSeen = core.sessions.lastSeen(owner.id)
  return {
    userId: owner.id, online, ...(lastSeen !== undefined ? { lastSeen } : {}),
    ...(online ? (core.published.get(owner.id) ?? NOTHING_PUBLISHED) : {}),
  }
}

/** GetPresence of one user (531 when unknown) */
export async function presenceOf(core: Core, viewer: string, userId: string): Promise<PresenceView> {
  return viewOf(core, await requireUser(core, userId), viewer)
}

/** GetPresence of several users and of the viewer's own lists' members; unknown users are left out */
export async function presenceOfMany(core: Core, viewer: string, who: { users?: string[]; lists?: string[] }): Promise<PresenceView[]> {
  const ids = new Set(who.users ?? [])
  if (who.lists?.length) {
    const names = new Set(who.lists.map(normaliseListName))
    for (const l of listsOf(await requireUser(core, viewer))) if (names.has(l.name)) for (const c of l.contacts) ids.add(c.userId)
  }
  const owners = await Promise.all([...ids].map((id) => core.store.getUser(id)))
  return owners.filter((o) => o !== undefined).map((o) => viewOf(core, o, viewer))
}

/** UpdatePresence: publishes the attributes given, keeping the others; tells whoever watches */
export function updatePresence(core: Core, userId: string, attrs: Partial<PublishedPresence>): PublishedPresence {
  if (attrs.availability !== undefined && !AVAILABILITIES.includes(attrs.availability)) {
    throw badParameter(`availability must be one of ${AVAILABILITIES.join(', ')}`)
  }
  if (attrs.statusText !== undefined && [...attrs.statusText].length > STATUS_TEXT_MAX) {
    throw badParameter(`the status text must be at most ${STATUS_TEXT_MAX} characters`)
  }
  const published = { ...(core.published.get(userId) ?? NOTHING_PUBLISHED), ...definedOnly(attrs) }
  core.published.set(userId, published)
  core.bus.publish({ type: 'PresenceUpdated', userId })
  return published
}

/** SubscribePresence: from now on the session hears of changes; the current state is sent at once (and returned) */
export async function subscribePresence(core: Core, session: Session, who: { users?: string[]; lists?: string[] }): Promise<PresenceView[]> {
  const views = await presenceOfMany(core, session.userId, who)
  for (const u of who.users ?? []) session.watching.users.add(u)
  for (const l of who.lists ?? []) session.watching.lists.add(normaliseListName(l))
  core.bus.publish({ type: 'SessionSettingsChanged', userId: session.userId, sessionId: session.id })
  if (views.length) core.hub.deliverTo(session, { type: 'PresenceNotification', presence: views })
  return views
}

/** UnsubscribePresence: of the users and lists named, or of everything when none are */
export function unsubscribePresence(core: Core, session: Session, who: { users?: string[]; lists?: string[] }): void {
  if (!who.users?.length && !who.lists?.length) {
    session.watching.users.clear()
    session.watching.lists.clear()
  } else {
    for (const u of who.users ?? []) session.watching.users.delete(u)
    for (const l of who.lists ?? []) session.watching.lists.delete(l.toLowerCase())
  }
  core.bus.publish({ type: 'SessionSettingsChanged', userId: session.userId, sessionId: session.id })
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
