import type { Clock } from './clock.js'
import { LoginThrottle } from './throttle.js'

/**
 * Keeps password guessing expensive without letting a stranger lock a real user out. Failures are counted per
 * address (20 in 5 minutes locks the address for every account), per account (5 in 5 minutes), and per
 * account and address. Once an account has had 5 failures, only addresses that have not failed on it may
 * still try: its owner, logging in from their usual place, gets through; the guesser does not, and each new
 * address it tries from gets one guess before it is shut out too.
 */
export class LoginGuard {
  readonly #account: LoginThrottle
  readonly #address: LoginThrottle
  readonly #pair: LoginThrottle

  constructor(clock: Clock) {
    this.#account = new LoginThrottle(clock, { maxFailures: ACCOUNT_FAILURES, windowSeconds: 300 })
    this.#address = new LoginThrottle(clock, { maxFailures: 20, windowSeconds: 300 })
    this.#pair = new LoginThrottle(clock, { maxFailures: 1, windowSeconds: 300 })
  }

  /** throws 429 (with retryAfter) when this address may not try this account now */
  check(account: string, address: string): void {
    this.#address.check(address)
    if (this.#pair.count(pairKey(account, address)) > 0) this.#account.check(account)
  }

  failed(account: string, address: string): void {
    this.#account.failed(account)
    this.#address.failed(address)
    this.#pair.failed(pairKey(account, address))
  }

  /** whether the account has had enough failures that addresses which failed on it are shut out */
  locked(account: string): boolean {
    return this.#account.count(account) >= ACCOUNT_FAILURES
  }

  /** an administrator lifts an account's lock: its failures, and every address's, are forgotten */
  unlock(account: string): void {
    this.#account.succeeded(account)
    this.#pair.forget((key) => key.startsWith(`${account}\n`))
  }

  /** clears this address's record on the account; the account's own count stands, or the owner's login would hand the guesser new tries */
  succeeded(account: string, address: string): void {
    this.#pair.succeeded(pairKey(account, address))
  }
}

const ACCOUNT_FAILURES = 5
const pairKey = (account: string, address: string) => `${account}\n${address}`
