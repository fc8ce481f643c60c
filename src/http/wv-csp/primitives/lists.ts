import { ImpsError } from '../../../core/codes.js'
import { createList, deleteList, getLists, manageList } from '../../../core/contacts.js'
import { noSuchList } from '../../../core/refusals.js'
import type { Contact, ContactList } from '../../../core/types.js'
import type { Ctx } from '../context.js'
import { ok, resultEl, statusEl, wvResult } from '../results.js'
import { boolAt, child, children, e, type El, textAt } from '../xml/tree.js'

/** the name of one of the user's own lists from a list id (`wv:alice/Default@domain`); someone else's is "no such list" */
function ownList(ctx: Ctx, raw: string | undefined): string {
  const list = ctx.ids.list(raw ?? '')
  if (!list || list.owner !== ctx.wv.session.userId) throw noSuchList((raw ?? '').trim())
  return list.name
}

/** a missing list is WV-CSP's 700 "Contact list does not exist" (S60 then sends CreateList) */
async function listCall(ctx: Ctx, fn: () => Promise<El>): Promise<El> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof ImpsError && err.code === 404) return statusEl(wvResult(700, err.message))
    throw err
  }
}

/** the members of one of the sender's lists, as a SendMessage recipient (none when there is no such list) */
export async function listMembers(ctx: Ctx, raw: string): Promise<string[]> {
  const name = ctx.ids.list(raw)
  if (!name || name.owner !== ctx.wv.session.userId) return []
  const lists = await getLists(ctx.core, ctx.wv.session.userId)
  return lists.find((l) => l.name === name.name.toLowerCase())?.contacts.map((c) => c.userId) ?? []
}

/** `NickList(NickName(Name, UserID)*)` in: ids that name nobody here are left out */
function nickList(ctx: Ctx, el: El | undefined): Contact[] {
  const out: Contact[] = []
  for (const n of children(el, 'NickName')) {
    const userId = ctx.ids.user(textAt(n, 'UserID') ?? '')
    if (userId) out.push({ userId, nickname: (textAt(n, 'Name') ?? '').slice(0, 64) })
  }
  return out
}

/** `ContactListProperties(Property(Name, Value)*)`: DisplayName and Default */
function properties(el: El | undefined): { displayName?: string; isDefault?: boolean } {
  const out: { displayName?: string; isDefault?: boolean } = {}
  for (const prop of children(el, 'Property')) {
    const name = textAt(prop, 'Name')
    if (name === 'DisplayName') out.displayName = (textAt(prop, 'Value') ?? '').slice(0, 64) || undefined
    if (name === 'Default') out.isDefault = boolAt(prop, 'Value')
  }
  return out
}

const propertiesEl = (l: ContactList) =>
  e('ContactListProperties', [
    e('Property', [e('Name', 'DisplayName'), e('Value', l.displayName)]),
    e('Property', [e('Name', 'Default'), e('Value', l.isDefault)]),
  ])

/** GetList-Request → `GetList-Response(ContactList*, DefaultContactList?)`, with no Result (S60 aborts its sync on one) */
export async function getList(ctx: Ctx): Promise<El> {
  const me = ctx.wv.session.userId
  const lists = await getLists(ctx.core, me)
  const id = (l: ContactList) => ctx.ids.writeList(me, l.name)
  const def = lists.find((l) => l.isDefault)
  return e('GetList-Response', [lists.filter((l) => l !== def).map((l) => e('ContactList', id(l))), def && e('DefaultContactList', id(def))])
}

export function createListRequest(ctx: Ctx, p: El): Promise<El> {
  return listCall(ctx, async () => {
    const name = ownList(ctx, textAt(p, 'ContactList'))
    await createList(ctx.core, ctx.wv.session.userId, { name, ...properties(child(p, 'ContactListProperties')), contacts: nickList(ctx, child(p, 'NickList')) })
    return statusEl(ok)
  })
}

export function deleteListRequest(ctx: Ctx, p: El): Promise<El> {
  return listCall(ctx, async () => {
    await deleteList(ctx.core, ctx.wv.session.userId, ownList(ctx, textAt(p, 'ContactList')))
    return statusEl(ok)
  })
}

/**
 * ListManage-Request: adds (AddNickList), removes (RemoveNickList), changes properties; the answer always carries
 * the list's NickList (each NickName with Name and UserID) and its properties, which is what the Razr asks for.
 */
export function listManage(ctx: Ctx, p: El): Promise<El> {
  return listCall(ctx, async () => {
    const name = ownList(ctx, textAt(p, 'ContactList'))
    const remove = children(child(p, 'RemoveNickList'), 'UserID').map((u) => ctx.ids.user(u.text)).filter((u) => u !== undefined)
    const list = await manageList(ctx.core, ctx.wv.session.userId, name, {
      add: nickList(ctx, child(p, 'AddNickList')), remove, ...properties(child(p, 'ContactListProperties')),
    })
    const nicks = list.contacts.map((c) => e('NickName', [e('Name', c.nickname || c.userId), e('UserID', ctx.ids.writeUser(c.userId))]))
    return e('ListManage-Response', [resultEl(ok), e('NickList', nicks), propertiesEl(list)])
  })
}

