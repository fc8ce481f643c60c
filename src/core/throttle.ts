import { tooManyLogins } from './refusals.js'
import type { Clock } from './clock.js'

export interface ThrottleLimits {
  /** failures allowed per key within the window */
  maxFailures: number
  windowSeconds: number
}

/**
 * Where failed logins are remembered: in this process (one node), or in the database, so that a lockout on one
 * node holds on every other (PostgreSQL, several nodes).
 */
export interface FailureLog {
  /** the times (ms) of a key's failures after `since`, oldest first */
  recent(key: string, since: number): Promise<number[]>
  /** one failure at `at` for each key */
  add(keys: string[], at: number): Promise<void>
  /** forgets the keys named, and with `prefix` every key that starts with it */
  forget(keys: string[], prefix?: string): Promise<void>
}

/** the failure log of a single node, bounded under a flood of made-up names */
export class MemoryFailureLog implements FailureLog {
  readonly #failures = new Map<string, number[]>()

  async recent(key: string, since: number): Promise<number[]> {
    const list = (this.#failures.get(key) ?? []).filter((t) => t > since)
    if (list.length) this.#failures.set(key, list)
    else this.#failures.delete(key)
    return list
  }

  async add(keys: string[], at: number): Promise<void> {
    for (const key of keys) this.#failures.set(key, [...(this.#failures.get(key) ?? []), at])
    // forget the oldest keys first
    while (this.#failures.size > 100_000) this.#failures.delete(this.#failures.keys().next().value!)
  }

  async forget(keys: string[], prefix?: string): Promise<void> {
    for (const key of keys) this.#failures.delete(key)
    if (prefix !== undefined) for (const key of [...this.#failures.keys()]) if (key.startsWith(prefix)) this.#failures.delete(key)
  }
}

/**
 * Slows password guessing: once a key (an account, an address) has `maxFailures` failed logins within the
 * window, further attempts get 429 with Retry-After until the oldest failure leaves the window — the right
 * password too, so that guesses learn nothing. Other accounts and addresses are not slowed, a login that
 * succeeds clears its account's record, and no login is ever delayed by sleeping. Keys are kept in `log`
 * under `scope` (several throttles share one log).
 */
export class LoginThrottle {
  constructor(
    private readonly clock: Clock,
    private readonly log: FailureLog,
    private readonly scope: string,
    private readonly limits: ThrottleLimits = { maxFailures: 5, windowSeconds: 300 },
  ) {}

  /** throws 429 if any of the keys is locked out now */
  async check(...keys: string[]): Promise<void> {
    const now = this.clock.now()
    const windowMs = this.limits.windowSeconds * 1000
    for (const key of keys) {
      const recent = await this.#recent(key, now)
      if (recent.length >= this.limits.maxFailures) {
        const retryAfter = Math.max(1, Math.ceil((recent[recent.length - this.limits.maxFailures] + windowMs - now) / 1000))
        throw tooManyLogins(retryAfter)
      }
    }
  }

  /** failures of a key within the window */
  async count(key: string): Promise<number> {
    return (await this.#recent(key, this.clock.now())).length
  }

  failed(...keys: string[]): Promise<void> {
    return this.log.add(keys.map((k) => this.scope + k), this.clock.now())
  }

  /** forgets every key that starts with `prefix` */
  forget(prefix: string): Promise<void> {
    return this.log.forget([], this.scope + prefix)
  }

  succeeded(key: string): Promise<void> {
    return this.log.forget([this.scope + key])
  }

  #recent(key: string, now: number): Promise<number[]> {
    return this.log.recent(this.scope + key, now - this.limits.windowSeconds * 1000)
  }
}
