import { timingSafeEqual } from 'node:crypto'
import type { Clock, Ids } from './clock.js'

export interface AdminSession {
  token: string
  /** sent back in every form (hidden field) and htmx request (header); checked on every POST */
  csrf: string
  createdAt: number
  lastSeen: number
  /** a one-time notice shown on the next page */
  flash?: { kind: 'ok' | 'error'; text: string }
}

/**
 * Where dashboard logins are kept: in this process (a restart logs the admin out), or in the database, so that
 * an admin logged in through one node is logged in on every other (PostgreSQL, several nodes).
 */
export interface AdminSessionRecords {
  get(token: string): Promise<AdminSession | undefined>
  put(session: AdminSession): Promise<void>
  delete(token: string): Promise<void>
  /** keeps the `max` most recently created, forgetting the others */
  trim(max: number): Promise<void>
  clear(): Promise<void>
}

export class MemoryAdminSessionRecords implements AdminSessionRecords {
  readonly #byToken = new Map<string, AdminSession>()

  async get(token: string): Promise<AdminSession | undefined> {
    const s = this.#byToken.get(token)
    return s && { ...s }
  }

  async put(session: AdminSession): Promise<void> {
    this.#byToken.set(session.token, { ...session })
  }

  async delete(token: string): Promise<void> {
    this.#byToken.delete(token)
  }

  async trim(max: number): Promise<void> {
    // a Map keeps insertion order: the first are the oldest
    while (this.#byToken.size > max) this.#byToken.delete(this.#byToken.keys().next().value!)
  }

  async clear(): Promise<void> {
    this.#byToken.clear()
  }
}

/** how far apart two writes of a session's last-seen time may be: the idle limit is hours, a write per page is waste */
const SEEN_PRECISION_MS = 60_000

/** Dashboard logins: idle and absolute lifetimes, a bounded count. */
export class AdminSessions {
  constructor(
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly records: AdminSessionRecords = new MemoryAdminSessionRecords(),
    private readonly idleSeconds = 8 * 3600,
    private readonly maxAgeSeconds = 7 * 86_400,
    private readonly max = 100,
  ) {}

  async create(): Promise<AdminSession> {
    const now = this.clock.now()
    const s: AdminSession = { token: this.ids.token(), csrf: this.ids.token(), createdAt: now, lastSeen: now }
    await this.records.put(s)
    await this.records.trim(this.max)
    return s
  }

  /** the live session a cookie names, marked as seen */
  async get(token: string | undefined): Promise<AdminSession | undefined> {
    const s = token ? await this.records.get(token) : undefined
    if (!s) return undefined
    const now = this.clock.now()
    if (now - s.lastSeen >= this.idleSeconds * 1000 || now - s.createdAt >= this.maxAgeSeconds * 1000) {
      await this.records.delete(s.token)
      return undefined
    }
    if (now - s.lastSeen >= SEEN_PRECISION_MS) {
      s.lastSeen = now
      await this.records.put(s)
    }
    return s
  }

  /** keeps what a request changed in the session (its one-time notice set, or shown and gone) */
  save(session: AdminSession): Promise<void> {
    return this.records.put(session)
  }

  async end(token: string | undefined): Promise<void> {
    if (token) await this.records.delete(token)
  }

  /** ends every dashboard login (after a password change) */
  endAll(): Promise<void> {
    return this.records.clear()
  }
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
