import { createUser, requireUser, setDisabled, setPassword, storeUser } from './accounts.js'
import { editList, type ListEdit } from './blocklist.js'
import { ImpsError } from './codes.js'
import type { Core } from './context.js'
import { endSession } from './login.js'
import { generatePassword } from './passwords.js'
import { type Limits, limitsFor } from './quotas.js'
import { settle } from './reports.js'
import type { InboxUsage, QuotaOverrides, StoredMessage, StoredReport, UserRecord } from './types.js'

/**
 * What the dashboard and the command line do to the server: plain functions over the core, the same
 * store and the same settle() the protocol uses. No HTTP here.
 */

export interface UserRow {
  id: string
  disabled: boolean
  online: boolean
  sessions: number
  inbox: InboxUsage
  outbox: number
  reports: number
  limits: Limits
  overrides: QuotaOverrides
  createdAt: number
}

export function userRow(core: Core, user: UserRecord): UserRow {
  const sessions = core.sessions.ofUser(user.id).length
  return {
    id: user.id, disabled: user.disabled, online: sessions > 0, sessions,
    inbox: core.store.inboxUsage(user.id), outbox: core.store.outboxQueued(user.id),
    reports: core.store.reportCount(user.id), limits: limitsFor(core.config, user),
    overrides: user.quotas, createdAt: user.createdAt,
  }
}

export const USER_SORTS = ['id', 'online', 'inbox', 'bytes', 'outbox'] as const
export type UserSort = (typeof USER_SORTS)[number]

/** how full a user's offline store is, 0–1 (the larger of count and bytes) */
export function inboxFill(r: UserRow): number {
  return Math.max(ratio(r.inbox.messages, r.limits.inboxMaxMessages), ratio(r.inbox.bytes, r.limits.inboxMaxBytes))
}

export function outboxFill(r: UserRow): number {
  return ratio(r.outbox, r.limits.outboxMaxMessages)
}

function ratio(n: number, max: number): number {
  if (max <= 0) return n > 0 ? 1 : 0
  return Math.min(1, n / max)
}

const SORT_KEYS: Record<UserSort, (r: UserRow) => number | string> = {
  id: (r) => r.id,
  online: (r) => (r.online ? 1 : 0),
  inbox: (r) => inboxFill(r),
  bytes: (r) => r.inbox.bytes,
  outbox: (r) => outboxFill(r),
}

/** users whose id contains `query`, sorted (ties by id) */
export function listUserRows(core: Core, opts: { query?: string; sort?: UserSort; desc?: boolean } = {}): UserRow[] {
  const q = (opts.query ?? '').trim().toLowerCase()
  const key = SORT_KEYS[opts.sort ?? 'id']
  const sign = opts.desc ? -1 : 1
  return core.store.listUsers()
    .filter((u) => !q || u.id.includes(q))
    .map((u) => userRow(core, u))
    .sort((a, b) => {
      const ka = key(a)
      const kb = key(b)
      if (ka < kb) return -sign
      if (ka > kb) return sign
      return a.id < b.id ? -1 : 1
    })
}

export interface Page<T> {
  items: T[]
  page: number
  pages: number
  total: number
}

/** one page (1-based, clamped into range) */
export function paginate<T>(items: T[], page: number, perPage: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / perPage))
  const p = Math.min(pages, Math.max(1, Number.isFinite(page) ? Math.floor(page) : 1))
  return { items: items.slice((p - 1) * perPage, p * perPage), page: p, pages, total: items.length }
}

export interface Overview {
  users: number
  disabled: number
  online: number
  sessions: number
  streams: number
  messages: number
  bytes: number
  reports: number
  diskBytes: number
  uptimeSeconds: number
  /** the fullest offline stores and the senders nearest their queue limit (top 5, non-empty only) */
  fullest: UserRow[]
  nearQueueLimit: UserRow[]
}

export function overview(core: Core): Overview {
  const stats = core.store.stats()
  const rows = core.store.listUsers().map((u) => userRow(core, u))
  const live = core.sessions.all()
  const top = (fill: (r: UserRow) => number, has: (r: UserRow) => boolean) =>
    rows.filter(has).sort((a, b) => fill(b) - fill(a) || (a.id < b.id ? -1 : 1)).slice(0, 5)
  return {
    users: stats.users,
    disabled: rows.filter((r) => r.disabled).length,
    online: new Set(live.map((s) => s.userId)).size,
    sessions: live.length,
    streams: core.hub.streamCount(),
    messages: stats.messages,
    bytes: stats.bytes,
    reports: stats.reports,
    diskBytes: stats.diskBytes,
    uptimeSeconds: Math.max(0, Math.floor((core.clock.now() - core.startedAt) / 1000)),
    fullest: top(inboxFill, (r) => r.inbox.messages > 0),
    nearQueueLimit: top(outboxFill, (r) => r.outbox > 0),
  }
}

/** what waits for a user, oldest first, as stored (an expired copy not yet swept is included: see `expired`) */
export async function waitingFor(core: Core, userId: string): Promise<Array<StoredMessage & { expired: boolean }>> {
  requireUser(core, userId)
  const now = core.clock.now()
  return (await core.store.listMessages(userId)).map((m) => ({ ...m, expired: m.validUntil <= now }))
}

/** removes one waiting message; a sender who asked for a report gets 538 "Message has been rejected" */
export async function purgeMessage(core: Core, userId: string, messageId: string): Promise<void> {
  requireUser(core, userId)
  const m = await core.store.getMessage(userId, messageId)
  if (!m || !(await settle(core, m, 538))) {
    throw new ImpsError(426, `Invalid message id: no message "${messageId.slice(0, 64)}" waits for ${userId} (already delivered or purged?)`)
  }
  core.log('admin', 'purged', { user: userId, count: 1 })
}

/** removes everything waiting for a user, each copy settled as 538; returns how many went */
export async function purgeMailbox(core: Core, userId: string): Promise<number> {
  requireUser(core, userId)
  // settled together, so that one journal write covers many of them
  const settled = await Promise.all((await core.store.listMessages(userId)).map((m) => settle(core, m, 538)))
  const count = settled.filter(Boolean).length
  core.log('admin', 'purged', { user: userId, count })
  return count
}

export const QUOTA_KEYS = ['inboxMaxMessages', 'inboxMaxBytes', 'outboxMaxMessages'] as const

/** replaces a user's quota overrides; a key left undefined falls back to the configured default */
export async function setQuotas(core: Core, userId: string, quotas: QuotaOverrides): Promise<UserRecord> {
  const user = requireUser(core, userId)
  const clean: QuotaOverrides = {}
  for (const k of QUOTA_KEYS) {
    const v = quotas[k]
    if (v === undefined) continue
    if (!Number.isSafeInteger(v) || v < 0) throw new ImpsError(402, `Bad parameter: ${k} must be a whole number ≥ 0`)
    clean[k] = v
  }
  const updated = { ...user, quotas: clean }
  await storeUser(core, updated)
  core.log('admin', 'quotas', { user: userId, ...clean })
  return updated
}

/** edits a user's block or grant list, as BlockEntity-Request does */
export async function editAccessList(core: Core, userId: string, which: 'block' | 'grant', edit: ListEdit): Promise<UserRecord> {
  const user = requireUser(core, userId)
  const updated = { ...user, [which]: editList(user[which], edit) }
  await storeUser(core, updated)
  core.log('admin', 'list', { user: userId, list: which })
  return updated
}

/** disables (ending the user's live sessions with 601) or enables an account */
export async function setUserDisabled(core: Core, userId: string, disabled: boolean): Promise<void> {
  await setDisabled(core, userId, disabled)
  if (disabled) for (const s of core.sessions.ofUser(userId)) endSession(core, s, 601)
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

/** delivery reports waiting for their senders, newest first, optionally of one outcome */
export async function recentReports(core: Core, code?: number): Promise<StoredReport[]> {
  const out: StoredReport[] = []
  for (const u of core.store.listUsers()) {
    if (core.store.reportCount(u.id) === 0) continue
    for (const r of await core.store.listReports(u.id)) if (code === undefined || r.code === code) out.push(r)
  }
  return out.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1))
}
