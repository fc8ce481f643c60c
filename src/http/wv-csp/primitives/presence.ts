import { LIST_NAME } from '../../../core/contacts.js'
import { AVAILABILITIES, presenceOfMany, STATUS_TEXT_MAX, subscribePresence, unsubscribePresence, updatePresence } from '../../../core/presence.js'
import type { Availability } from '../../../core/types.js'
import type { Ctx } from '../context.js'
import { presence } from '../render.js'
import { ok, resultEl, statusEl, type WvResult, wvResult } from '../results.js'
import { boolAt, child, children, e, type El, textAt } from '../xml/tree.js'

/** `User(UserID)*` and `ContactList*` (also bare `UserID`s) → local users and the viewer's own list names */
function who(ctx: Ctx, p: El): { users: string[]; lists: string[]; unknown: string[] } {
  const users = new Set<string>()
  const unknown: string[] = []
  const raws = [...children(p, 'User').map((u) => textAt(u, 'UserID') ?? ''), ...children(p, 'UserID').map((u) => u.text)]
  for (const raw of raws) {
    const id = ctx.ids.user(raw)
    if (id) users.add(id)
    else unknown.push(raw.trim().slice(0, 100))
  }
  const lists: string[] = []
  for (const l of children(p, 'ContactList')) {
    const list = ctx.ids.list(l.text)
    if (list && list.owner === ctx.wv.session.userId && LIST_NAME.test(list.name.toLowerCase())) lists.push(list.name)
  }
  return { users: [...users].slice(0, 500), lists: lists.slice(0, 20), unknown }
}

/** GetPresence-Request: Result 200 with a Presence per user found (the user's own id included), 201/531 for the rest */
export async function getPresence(ctx: Ctx, p: El): Promise<El> {
  const w = who(ctx, p)
  const views = await presenceOfMany(ctx.core, ctx.wv.session.userId, w)
  const missing = [...w.unknown, ...w.users.filter((u) => !views.some((v) => v.userId === u)).map((u) => ctx.ids.writeUser(u))]
  let r: WvResult = ok
  if (missing.length) r = { ...wvResult(views.length ? 201 : 531), details: [{ code: 531, text: 'Unknown user', users: missing }] }
  return e('GetPresence-Response', [resultEl(r), views.map((v) => presence(ctx.ids, ctx.ns, v))])
}

/** SubscribePresence-Request (users and lists; AutoSubscribe is what list subscriptions do anyway): the current state follows in a PresenceNotification */
export async function subscribe(ctx: Ctx, p: El): Promise<El> {
  const { users, lists } = who(ctx, p)
  await subscribePresence(ctx.core, ctx.wv.session, { users, lists })
  return statusEl(ok)
}

export function unsubscribe(ctx: Ctx, p: El): El {
  const { users, lists } = who(ctx, p)
  unsubscribePresence(ctx.core, ctx.wv.session, { users, lists })
  return statusEl(ok)
}

/**
 * UpdatePresence-Request: UserAvailability, StatusText (cut to the 40 characters phones show) and ClientInfo's
 * ClientType are published. OnlineStatus is never taken from a client: the server derives it from sessions.
 * A Qualifier F clears the status text; values this server does not know are left as they were.
 */
export function update(ctx: Ctx, p: El): El {
  const list = child(p, 'PresenceSubList')
  const availability = textAt(list, 'UserAvailability', 'PresenceValue')?.toUpperCase()
  const status = child(list, 'StatusText')
  const clientType = textAt(list, 'ClientInfo', 'ClientType')
  updatePresence(ctx.core, ctx.wv.session.userId, {
    availability: AVAILABILITIES.includes(availability as Availability) ? (availability as Availability) : undefined,
    statusText: status ? (boolAt(status, 'Qualifier') === false ? '' : [...(textAt(status, 'PresenceValue') ?? '')].slice(0, STATUS_TEXT_MAX).join('')) : undefined,
    clientType: clientType ? clientType.slice(0, 64) : undefined,
  })
  return statusEl(ok)
}
