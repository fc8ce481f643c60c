import { createUser, requireUser, setDisabled, setPassword, storeUser } from './accounts.js'
import { type AccessLists, blockEntity, type ListEdit } from './blocklist.js'
import type { Core } from './context.js'
import { endSession } from './login.js'
import { generatePassword } from './passwords.js'
import { noSuchMessage, quotaNotANumber } from './refusals.js'
import { settle } from './reports.js'
import { writing } from './storage-failure.js'
import type { QuotaOverrides, UserRecord } from './types.js'

/**
 * What the dashboard and the command line do to the server: plain functions over the core, the same
 * store and the same settle() the protocol uses. No HTTP here. (What they look at is admin-queries.ts.)
 */
/** removes one waiting message; a sender who asked for a report gets 538 "Message has been rejected" */
export async function purgeMessage(core: Core, userId: string, messageId: string): Promise<void> {
  await requireUser(core, userId)
  const m = await core.store.getMessage(userId, messageId)
  if (!m || !(await settle(core, m, 538))) throw noSuchMessage(messageId, `${userId} (already delivered or purged?)`)
  core.log('admin', 'purged', { user: userId, count: 1 })
  core.bus.publish({ type: 'MailboxPurged', userId, count: 1 })
}

/** removes everything waiting for a user, each copy settled as 538; returns how many went */
export async function purgeMailbox(core: Core, userId: string): Promise<number> {
  await requireUser(core, userId)
  // settled together, so that one journal write covers many of them
  const settled = await Promise.all((await core.store.listMessages(userId)).map((m) => settle(core, m, 538)))
  const count = settled.filter(Boolean).length
  core.log('admin', 'purged', { user: userId, count })
  core.bus.publish({ type: 'MailboxPurged', userId, count })
  return count
}

export const QUOTA_KEYS = ['inboxMaxMessages', 'inboxMaxBytes', 'outboxMaxMessages'] as const

/** replaces a user's quota overrides; a key left undefined falls back to the configured default */
export async function setQuotas(core: Core, userId: string, quotas: QuotaOverrides): Promise<UserRecord> {
  const user = await requireUser(core, userId)
  const clean: QuotaOverrides = {}
  for (const k of QUOTA_KEYS) {
    const v = quotas[k]
    if (v === undefined) continue
    if (!Number.isSafeInteger(v) || v < 0) throw quotaNotANumber(k)
    clean[k] = v
  }
  const updated = { ...user, quotas: clean }
  await storeUser(core, updated)
  core.log('admin', 'quotas', { user: userId, ...clean })
  return updated
}

/** edits a user's block or grant list, as BlockEntity-Request does */
export async function editAccessList(core: Core, userId: string, which: 'block' | 'grant', edit: ListEdit): Promise<AccessLists> {
  const lists = await blockEntity(core, userId, { [which]: edit })
  core.log('admin', 'list', { user: userId, list: which })
  return lists
}

/** disables (ending the user's live sessions with 601, on every node) or enables an account */
export async function setUserDisabled(core: Core, userId: string, disabled: boolean): Promise<void> {
  await setDisabled(core, userId, disabled)
  if (disabled) for (const s of core.sessions.ofUser(userId)) endSession(core, s, 601)
  const { peers } = core.sessions
  const endElsewhere = peers.end?.bind(peers)
  if (disabled && endElsewhere) await Promise.all(peers.ofUser(userId).map((s) => writing(core, endElsewhere(s, 601))))
  core.log('admin', disabled ? 'disabled' : 'enabled', { user: userId })
}

/** sets a password (generated when none is given); returns the password set */
export async function resetPassword(core: Core, userId: string, password?: string): Promise<string> {
  const pw = password || generatePassword()
  await setPassword(core, userId, pw)
  core.log('admin', 'password_reset', { user: userId })
  return pw
}

/** creates an account (password generated when none is given); returns the id and the password */
export async function addUser(core: Core, userId: string, password?: string): Promise<{ id: string; password: string }> {
  const pw = password || generatePassword()
  const user = await createUser(core, userId, pw)
  return { id: user.id, password: pw }
}

/**
 * Deletes an account: its sessions end (601), what waits for it is purged (senders who asked get 538), the
 * reports waiting for it go, then the account. What it sent that still waits for others stays.
 */
export async function deleteUser(core: Core, userId: string): Promise<{ purged: number }> {
  await setUserDisabled(core, userId, true) // no new login or message while it goes
  const purged = await purgeMailbox(core, userId)
  await Promise.all((await core.store.listReports(userId)).map((r) => writing(core, core.store.removeReport(userId, r.id))))
  await writing(core, core.store.deleteUser(userId))
  await core.loginGuard.unlock(userId)
  core.log('admin', 'deleted', { user: userId, purged })
  return { purged }
}

/** lifts the lock that failed logins put on an account */
export async function unlockAccount(core: Core, userId: string): Promise<void> {
  await requireUser(core, userId)
  await core.loginGuard.unlock(userId)
  core.log('admin', 'unlocked', { user: userId })
}
