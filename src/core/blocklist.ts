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
