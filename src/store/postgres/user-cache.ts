import type { UserRecord } from '../../core/types.js'

/** accounts kept at most; past it the cache starts over (a send needs only its sender and recipients) */
const MAX_USERS = 20_000

/**
 * Accounts read recently, kept only while this node hears every change to them (its LISTEN connection is up):
 * every send reads its sender and recipients, and without this each send would cost a second round trip to the
 * database. Whoever changes an account (any node, the CLI) NOTIFYs its id in the same statement; a lost
 * connection empties the cache and turns it off until the next LISTEN. A read that began before a change was
 * heard is not kept (the generation moved), so a stale record never outlives the notification that killed it.
 */
export class UserCache {
  readonly #users = new Map<string, UserRecord>()
  #trusted = false
  #generation = 0

  /** on: this node listens and will hear of every change; off: it may miss some */
  trust(on: boolean): void {
    this.#trusted = on
    this.forget('all')
  }

  /** the cached record itself: the core never changes a record it was handed (it writes a new one), as the embedded store relies on too */
  get(id: string): UserRecord | undefined {
    return this.#trusted ? this.#users.get(id) : undefined
  }

  /** where a read starts: what it finds may be kept only if nothing was forgotten since */
  get generation(): number {
    return this.#generation
  }

  keep(user: UserRecord, readAt: number): void {
    if (!this.#trusted || readAt !== this.#generation) return
    if (this.#users.size >= MAX_USERS) this.#users.clear()
    this.#users.set(user.id, user)
  }

  forget(ids: string[] | 'all'): void {
    if (ids !== 'all' && ids.length === 0) return // a hint about messages only: no read in flight need be thrown away
    this.#generation++
    if (ids === 'all') this.#users.clear()
    else for (const id of ids) this.#users.delete(id)
  }
}
