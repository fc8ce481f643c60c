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

/** Dashboard logins, in memory (a restart logs the admin out). Idle and absolute lifetimes, bounded count. */
export class AdminSessions {
  readonly #byToken = new Map<string, AdminSession>()

  constructor(
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly idleSeconds = 8 * 3600,
    private readonly maxAgeSeconds = 7 * 86_400,
    private readonly max = 100,
  ) {}

  create(): AdminSession {
    const now = this.clock.now()
    const s: AdminSession = { token: this.ids.token(), csrf: this.ids.token(), createdAt: now, lastSeen: now }
    this.#byToken.set(s.token, s)
    if (this.#byToken.size > this.max) this.#byToken.delete(this.#byToken.keys().next().value!)
    return s
  }

  /** the live session a cookie names, marked as seen */
  get(token: string | undefined): AdminSession | undefined {
    const s = token ? this.#byToken.get(token) : undefined
    if (!s) return undefined
    const now = this.clock.now()
    if (now - s.lastSeen >= this.idleSeconds * 1000 || now - s.createdAt >= this.maxAgeSeconds * 1000) {
      this.#byToken.delete(s.token)
      return undefined
    }
    s.lastSeen = now
    return s
  }

  end(token: string | undefined): void {
    if (token) this.#byToken.delete(token)
  }

  /** ends every dashboard login (after a password change) */
  endAll(): void {
    this.#byToken.clear()
  }
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
