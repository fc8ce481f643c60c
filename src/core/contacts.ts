import { requireUser, storeUser } from './accounts.js'
import { normaliseAddress, parseAddress } from './relay/address.js'
import type { Core } from './context.js'
import { invalidListName, listExists, listTooLong, noSuchList, tooManyLists } from './refusals.js'
import type { Contact, ContactList, UserRecord } from './types.js'

export const DEFAULT_LIST = 'default'
export const LIST_NAME = /^[a-z0-9~][a-z0-9._~-]{0,63}$/
const MAX_LISTS = 20
const MAX_CONTACTS = 500

/** a user's lists; a user who never had one gets the default list, `Default`, on first use */
export function listsOf(user: UserRecord): ContactList[] {
  return user.lists?.length ? user.lists : [{ name: DEFAULT_LIST, displayName: 'Default', isDefault: true, contacts: [] }]
}

export function normaliseListName(raw: string): string {
  const name = raw.toLowerCase()
  if (!LIST_NAME.test(name)) throw invalidListName(raw)
  return name
}

/** GetList: the user's contact lists, the default one marked */
export async function getLists(core: Core, userId: string): Promise<ContactList[]> {
  return listsOf(await requireUser(core, userId))
}

/** CreateList: a new list, optionally with contacts and as the default */
export async function createList(
  core: Core, userId: string, req: { name: string; displayName?: string; isDefault?: boolean; contacts?: Contact[] },
): Promise<ContactList> {
  const name = normaliseListName(req.name)
  return editLists(core, userId, (lists) => {
    if (lists.some((l) => l.name === name)) throw listExists(name)
    if (lists.length >= MAX_LISTS) throw tooManyLists(MAX_LISTS)
    const list: ContactList = { name, displayName: req.displayName || req.name, isDefault: false, contacts: [] }
    lists.push(list)
    return applyEdit(lists, list, { add: req.contacts, isDefault: req.isDefault }, core.config.domain)
  })
}

/** DeleteList; deleting the default list makes the first remaining one the default */
export async function deleteList(core: Core, userId: string, rawName: string): Promise<void> {
  const name = normaliseListName(rawName)
  await editLists(core, userId, (lists) => {
    const i = lists.findIndex((l) => l.name === name)
    if (i < 0) throw noSuchList(name)
    const [gone] = lists.splice(i, 1)
    if (gone.isDefault && lists.length) lists[0] = { ...lists[0], isDefault: true }
    return gone
  })
}

export interface ListEditRequest {
  add?: Contact[]
  remove?: string[]
  displayName?: string
  isDefault?: boolean
}

/** ListManage: adds and removes contacts (an added contact already there gets the new nickname), renames, makes default */
export async function manageList(core: Core, userId: string, rawName: string, edit: ListEditRequest): Promise<ContactList> {
  const name = normaliseListName(rawName)
  return editLists(core, userId, (lists) => {
    const list = lists.find((l) => l.name === name)
    if (!list) throw noSuchList(name)
    return applyEdit(lists, list, edit, core.config.domain)
  })
}

/** whether `owner` has `other` in any of their lists */
export function hasContact(owner: UserRecord, other: string): boolean {
  return listsOf(owner).some((l) => l.contacts.some((c) => c.userId === other))
}

/** a contact may be a user of another server (`bob@other.org`), written to through the relay */
function applyEdit(lists: ContactList[], list: ContactList, edit: ListEditRequest, domain: string | undefined): ContactList {
  const contacts = new Map(list.contacts.map((c) => [c.userId, c]))
  for (const c of edit.add ?? []) {
    const userId = normaliseAddress(c.userId, 'contact', domain)
    contacts.set(userId, { userId, nickname: c.nickname || userId })
  }
  for (const u of edit.remove ?? []) contacts.delete(parseAddress(u, domain) ?? u.toLowerCase())
  if (contacts.size > MAX_CONTACTS) throw listTooLong(MAX_CONTACTS)
  const updated: ContactList = {
    ...list,
    displayName: edit.displayName || list.displayName,
    isDefault: edit.isDefault ?? list.isDefault,
    contacts: [...contacts.values()],
  }
  const i = lists.indexOf(list)
  lists[i] = updated
  if (updated.isDefault) for (let j = 0; j < lists.length; j++) if (j !== i && lists[j].isDefault) lists[j] = { ...lists[j], isDefault: false }
  return updated
}

/** reads the user's lists, lets `change` edit a copy, stores it and tells the bus (visibility may have changed) */
async function editLists<T>(core: Core, userId: string, change: (lists: ContactList[]) => T): Promise<T> {
  const user = await requireUser(core, userId)
  const lists = listsOf(user).map((l) => ({ ...l }))
  const out = change(lists)
  if (lists.length && !lists.some((l) => l.isDefault)) lists[0] = { ...lists[0], isDefault: true }
  await storeUser(core, { ...user, lists })
  core.bus.publish({ type: 'PresenceRulesChanged', userId })
  return out
}
