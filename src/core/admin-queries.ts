import { requireUser } from './accounts.js'
import type { Core } from './context.js'
import type { Relay } from './relay/relay.js'
import type { StoreStats, UserUsage } from './ports.js'
import { type Limits, limitsFor } from './quotas.js'
import { listsOf } from './contacts.js'
import { type PresenceView, viewOf } from './presence.js'
import type { Capabilities, ContactList, InboxUsage, QuotaOverrides, StoredMessage, StoredReport, UserRecord } from './types.js'

/** What the dashboard and the command line look at: rows of users, the overview, a user's page, reports. */

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

/** each user's row, with its usage read from the store in one call */
export async function userRows(core: Core, users: UserRecord[]): Promise<UserRow[]> {
  const usage = await core.store.usage(users.map((u) => u.id))
  return users.map((user, i) => row(core, user, usage[i]))
}

export async function userRow(core: Core, user: UserRecord): Promise<UserRow> {
  return (await userRows(core, [user]))[0]
}

function row(core: Core, user: UserRecord, usage: UserUsage): UserRow {
  // a session taken up by a second node (a client that talks to both) is one session, not two
  const sessions = new Set([...core.sessions.ofUser(user.id), ...core.sessions.peers.ofUser(user.id)].map((s) => s.id)).size
  return {
    id: user.id, disabled: user.disabled, online: sessions > 0, sessions,
    inbox: usage.inbox, outbox: usage.outbox, reports: usage.reports, limits: limitsFor(core.config, user),
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
export async function listUserRows(core: Core, opts: { query?: string; sort?: UserSort; desc?: boolean } = {}): Promise<UserRow[]> {
  const q = (opts.query ?? '').trim().toLowerCase()
  const key = SORT_KEYS[opts.sort ?? 'id']
  const sign = opts.desc ? -1 : 1
  const users = (await core.store.listUsers()).filter((u) => !q || u.id.includes(q))
  return (await userRows(core, users))
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
  /** the relay's peers; empty when none are configured */
  peers: PeerView[]
}

export type PeerView = Awaited<ReturnType<Relay['statuses']>>[number]

export async function overview(core: Core): Promise<Overview> {
  const stats = await core.store.stats()
  const rows = await userRows(core, await core.store.listUsers())
  const live = [...core.sessions.all(), ...core.sessions.peers.all()]
  const top = (fill: (r: UserRow) => number, has: (r: UserRow) => boolean) =>
    rows.filter(has).sort((a, b) => fill(b) - fill(a) || (a.id < b.id ? -1 : 1)).slice(0, 5)
  return {
    users: stats.users,
    disabled: stats.disabled,
    online: new Set(live.map((s) => s.userId)).size,
    sessions: new Set(live.map((s) => s.id)).size,
    streams: core.hub.sinkCount(),
    messages: stats.messages,
    bytes: stats.bytes,
    reports: stats.reports,
    diskBytes: stats.diskBytes,
    uptimeSeconds: Math.max(0, Math.floor((core.clock.now() - core.startedAt) / 1000)),
    fullest: top(inboxFill, (r) => r.inbox.messages > 0),
    nearQueueLimit: top(outboxFill, (r) => r.outbox > 0),
    peers: core.relay ? await core.relay.statuses() : [],
  }
}

/** what waits for a user, oldest first, as stored (an expired copy not yet swept is included: see `expired`) */
export async function waitingFor(core: Core, userId: string): Promise<Array<StoredMessage & { expired: boolean }>> {
  await requireUser(core, userId)
  const now = core.clock.now()
  return (await core.store.listMessages(userId)).map((m) => ({ ...m, expired: m.validUntil <= now }))
}


/** delivery reports waiting for their senders, newest first, optionally of one outcome */
export function recentReports(core: Core, code?: number, limit = 10_000): Promise<StoredReport[]> {
  return core.store.recentReports({ code, limit })
}

/** one of a user's live sessions as the dashboard lists it */
export interface SessionRow {
  method: Capabilities['deliveryMethod']
  clientId: string | undefined
  held: boolean
  door: string
  /** the node it is on, when several share one database */
  node: string | undefined
}

export interface UserDetail {
  user: UserRecord
  row: UserRow
  /** what waits for them, oldest first, as stored (an expired copy not yet swept is marked) */
  waiting: Array<StoredMessage & { expired: boolean }>
  sessions: SessionRow[]
  /** their presence as they see it themselves, and their contact lists */
  presence: PresenceView
  lists: ContactList[]
}

/** everything the dashboard shows of one user; undefined for an unknown user */
export async function userDetail(core: Core, userId: string): Promise<UserDetail | undefined> {
  const user = await core.store.getUser(userId)
  if (!user) return undefined
  const [row, waiting] = await Promise.all([userRow(core, user), waitingFor(core, userId)])
  const here = core.config.nodeId
  const sessions: SessionRow[] = [
    ...core.sessions.ofUser(userId).map((s) => ({ method: s.capabilities.deliveryMethod, clientId: s.clientId, held: s.holds > 0, door: s.door, node: here })),
    ...core.sessions.peers.ofUser(userId).map((s) => ({ method: s.capabilities.deliveryMethod, clientId: s.clientId, held: s.held, door: s.door, node: s.node })),
  ]
  return { user, row, waiting, sessions, presence: viewOf(core, user, user.id), lists: listsOf(user) }
}

/** the store's totals (users, messages, bytes, reports, size on disk) */
export function storeStats(core: Core): Promise<StoreStats> {
  return core.store.stats()
}

/** the fullest offline stores, by messages */
export function largestMailboxes(core: Core, limit: number) {
  return core.store.largestMailboxes(limit)
}
