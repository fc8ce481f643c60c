import { tooManyLogins } from './refusals.js'
import type { Clock } from './clock.js'

export interface ThrottleLimits {
  /** failures allowed per key within the window */
  maxFailures: number
  windowSeconds: number
}

/**
 * Slows password guessing: once a key (an account, an address) has `maxFailures` failed logins within the
 * window, further attempts get 429 with Retry-After until the oldest failure leaves the window — the right
 * password too, so that guesses learn nothing. Other accounts and addresses are not slowed, a login that
 * succeeds clears its account's record, and no login is ever delayed by sleeping.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>()

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = { maxFailures: 5, windowSeconds: 300 },
  ) {}

  /** throws 429 if any of the keys is locked out now */
  check(...keys: string[]): void {
    const now = this.clock.now()
    const windowMs = this.limits.windowSeconds * 1000
    for (const key of keys) {
      const recent = this.#recent(key, now)
      if (recent.length >= this.limits.maxFailures) {
        const retryAfter = Math.max(1, Math.ceil((recent[recent.length - this.limits.maxFailures] + windowMs - now) / 1000))
        throw tooManyLogins(retryAfter)
      }
    }
  }

  /** failures of a key within the window */
  count(key: string): number {
    return this.#recent(key, this.clock.now()).length
  }

  failed(...keys: string[]): void {
    const now = this.clock.now()
    for (const key of keys) {
      const recent = this.#recent(key, now)
      recent.push(now)
      this.#failures.set(key, recent)
    }
    // a bound on memory under a flood of made-up names: forget the oldest keys
    while (this.#failures.size > 100_000) this.#failures.delete(this.#failures.keys().next().value!)
  }

  /** forgets every key the predicate picks */
  forget(picks: (key: string) => boolean): void {
    for (const key of [...this.#failures.keys()]) if (picks(key)) this.#failures.delete(key)
  }

  succeeded(key: string): void {
    this.#failures.delete(key)
  }

  #recent(key: string, now: number): number[] {
    const since = now - this.limits.windowSeconds * 1000
    const list = (this.#failures.get(key) ?? []).filter((t) => t > since)
    if (list.length) this.#failures.set(key, list)
    else this.#failures.delete(key)
    return list
  }
}
