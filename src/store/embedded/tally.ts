import type { InboxUsage, StoredMessage, StoredReport } from '../../core/types.js'

interface Mailbox {
  user: string
  messages: number
  bytes: number
  /** a lower bound: removals leave it alone, a full look at the box (resetEarliest) makes it exact again */
  earliestValidUntil: number
}

/** Counters that span boxes, kept in memory: what waits for each recipient, from each sender, for each report owner. */
export class Tally {
  readonly #inbox = new Map<string, Mailbox>()
  readonly #outbox = new Map<string, number>()
  readonly #reports = new Map<string, number>()

  addMessage(m: StoredMessage): void {
    let s = this.#inbox.get(m.recipient)
    if (!s) this.#inbox.set(m.recipient, (s = { user: m.recipient, messages: 0, bytes: 0, earliestValidUntil: Infinity }))
    s.messages++
    s.bytes += m.size
    s.earliestValidUntil = Math.min(s.earliestValidUntil, m.validUntil)
    bump(this.#outbox, m.sender, 1)
  }

  removeMessage(m: StoredMessage): void {
    const s = this.#inbox.get(m.recipient)
    if (s) {
      s.messages--
      s.bytes -= m.size
      if (s.messages <= 0) this.#inbox.delete(m.recipient)
    }
    bump(this.#outbox, m.sender, -1)
  }

  addReport(r: StoredReport): void {
    bump(this.#reports, r.owner, 1)
  }

  removeReport(r: StoredReport): void {
    bump(this.#reports, r.owner, -1)
  }

  resetEarliest(user: string, messages: Iterable<StoredMessage>): void {
    const s = this.#inbox.get(user)
    if (!s) return
    s.earliestValidUntil = Infinity
    for (const m of messages) s.earliestValidUntil = Math.min(s.earliestValidUntil, m.validUntil)
  }

  inbox(user: string): InboxUsage {
    const s = this.#inbox.get(user)
    return { messages: s?.messages ?? 0, bytes: s?.bytes ?? 0 }
  }

  outbox(user: string): number {
    return this.#outbox.get(user) ?? 0
  }

  reports(user: string): number {
    return this.#reports.get(user) ?? 0
  }

  reportOwners(): string[] {
    return [...this.#reports.keys()]
  }

  mailboxes(): Mailbox[] {
    return [...this.#inbox.values()].map((s) => ({ ...s }))
  }

  totals(): { messages: number; bytes: number; reports: number } {
    let messages = 0
    let bytes = 0
    let reports = 0
    for (const s of this.#inbox.values()) {
      messages += s.messages
      bytes += s.bytes
    }
    for (const n of this.#reports.values()) reports += n
    return { messages, bytes, reports }
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by
  if (n > 0) map.set(key, n)
  else map.delete(key)
}
