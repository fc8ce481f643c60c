import type { Clock } from './clock.js'
import { type FailureLog, LoginThrottle, MemoryFailureLog } from './throttle.js'

/**
 * Keeps password guessing expensive without letting a stranger lock a real user out. Failures are counted per
 * address (20 in 5 minutes locks the address for every account), per account (5 in 5 minutes), and per
 * account and address. Once an account has had 5 failures, only addresses that have not failed on it may
 * still try: its owner, logging in from their usual place, gets through; the guesser does not, and each new
 * address it tries from gets one guess before it is shut out too. With a shared failure log (PostgreSQL) every
 * node counts the same failures.
 */
export class LoginGuard {
  readonly #account: LoginThrottle
  readonly #address: LoginThrottle
  readonly #pair: LoginThrottle

  constructor(clock: Clock, log: FailureLog = new MemoryFailureLog()) {
    this.#account = new LoginThrottle(clock, log, 'account:', { maxFailures: ACCOUNT_FAILURES, windowSeconds: 300 })
    this.#address = new LoginThrottle(clock, log, 'address:', { maxFailures: 20, windowSeconds: 300 })
    this.#pair = new LoginThrottle(clock, log, 'pair:', { maxFailures: 1, windowSeconds: 300 })
  }

  /** throws 429 (with retryAfter) when this address may not try this account now */
  async check(account: string, address: string): Promise<void> {
    await this.#address.check(address)
    if ((await this.#pair.count(pairKey(account, address))) > 0) await this.#account.check(account)
  }

  async failed(account: string, address: string): Promise<void> {
    await Promise.all([this.#account.failed(account), this.#address.failed(address), this.#pair.failed(pairKey(account, address))])
  }

  /** whether the account has had enough failures that addresses which failed on it are shut out */
  async locked(account: string): Promise<boolean> {
    return (await this.#account.count(account)) >= ACCOUNT_FAILURES
  }

  /** an administrator lifts an account's lock: its failures, and every address's, are forgotten */
  async unlock(account: string): Promise<void> {
    await Promise.all([this.#account.succeeded(account), this.#pair.forget(`${account}\n`)])
  }

  /** clears this address's record on the account; the account's own count stands, or the owner's login would hand the guesser new tries */
  succeeded(account: string, address: string): Promise<void> {
    return this.#pair.succeeded(pairKey(account, address))
  }
}

const ACCOUNT_FAILURES = 5
const pairKey = (account: string, address: string) => `${account}\n${address}`
