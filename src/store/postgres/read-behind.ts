import type { Hint } from './hints.js'

/**
 * The users a hint named whose read failed (a database hiccup): what waits for them is read again at the next
 * heartbeat, so a message stays undelivered to an open stream for seconds, not until its client reconnects.
 */
export class ReadBehind {
  #users = new Set<string>()
  #all = false

  /** remembers everyone `hint` named (or everyone, for a hint that named nobody in particular) */
  missed(hint: Hint): void {
    if (hint.all) this.#all = true
    for (const [recipient] of hint.messages) this.#users.add(recipient)
    for (const user of hint.boxes) this.#users.add(user)
    for (const [owner] of hint.reports) this.#users.add(owner)
  }

  /** remembers that everyone connected here is owed a read (a catch-up after a reconnect failed) */
  missedEveryone(): void {
    this.#all = true
  }

  /**
   * Reads again for everyone remembered who is still connected here (`connected`), through `read` (undefined:
   * everyone connected); what fails stays remembered for the next try.
   */
  async retry(connected: string[], read: (users?: string[]) => Promise<void>): Promise<void> {
    if (!this.#all && this.#users.size === 0) return
    const all = this.#all
    const here = new Set(connected)
    const users = [...this.#users].filter((u) => here.has(u))
    this.#all = false
    this.#users.clear()
    try {
      if (all) await read()
      else if (users.length) await read(users)
    } catch (err) {
      this.#all ||= all
      for (const u of users) this.#users.add(u)
      throw err
    }
  }
}
