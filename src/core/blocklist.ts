import { requireUser, storeUser } from './accounts.js'
import type { Core } from './context.js'
import type { AccessList, UserRecord } from './types.js'

/** PROTOCOL.md 5: blocked when on the block list in use, or missing from the grant list in use */
export function isBlocked(recipient: UserRecord, sender: string): boolean {
  if (recipient.block.inUse && recipient.block.users.includes(sender)) return true
  if (recipient.grant.inUse && !recipient.grant.users.includes(sender)) return true
  return false
}

export interface ListEdit {
  inUse?: boolean
  add?: string[]
  remove?: string[]
}

export function editList(list: AccessList, edit: ListEdit | undefined): AccessList {
  if (!edit) return list
  const users = new Set(list.users)
  for (const u of edit.add ?? []) users.add(u)
  for (const u of edit.remove ?? []) users.delete(u)
  return { inUse: edit.inUse ?? list.inUse, users: [...users].sort() }
}

export interface AccessLists {
  block: AccessList
  grant: AccessList
}

/** GetBlockedList-Request */
export async function blockedList(core: Core, userId: string): Promise<AccessLists> {
  const user = await requireUser(core, userId)
  return { block: user.block, grant: user.grant }
}

/** BlockEntity-Request: edits the block and grant lists together; answers the lists as they now are */
export async function blockEntity(core: Core, userId: string, edit: { block?: ListEdit; grant?: ListEdit }): Promise<AccessLists> {
  const user = await requireUser(core, userId)
  const updated: UserRecord = { ...user, block: editList(user.block, edit.block), grant: editList(user.grant, edit.grant) }
  await storeUser(core, updated)
  core.bus.publish({ type: 'PresenceRulesChanged', userId })
  return { block: updated.block, grant: updated.grant }
}
