import type { StoredMessage, StoredReport, UserRecord } from '../../core/types.js'
import type { CopyVerdict, MailboxSummary, NewCopy, Settlement, Store, StoreStats, UserUsage } from '../store.js'

/**
 * A plain in-memory store for unit tests and throwaway servers: maps and nothing else, written apart from the
 * embedded store so that the contract suite checks the promises of the Store port, not one implementation.
 * Each method does its work without awaiting in between, which is what makes each one atomic here.
 */
export class MemoryStore implements Store {
  readonly #users = new Map<string, UserRecord>()
  readonly #meta = new Map<string, string>()
  /** recipient → message id → message, in arrival order */
  readonly #boxes = new Map<string, Map<string, StoredMessage>>()
  /** owner → report id → report */
  readonly #reports = new Map<string, Map<string, StoredReport>>()
  /** `recipient\nid` → how it was settled (bounded) */
  readonly #settled = new Map<string, number>()
  #closed = false

  async getUser(id: string): Promise<UserRecord | undefined> {
    return this.#users.get(id)
  }

  async listUsers(): Promise<UserRecord[]> {
    return [...this.#users.values()]
  }

  async createUser(user: UserRecord): Promise<boolean> {
    this.#open()
    if (this.#users.has(user.id)) return false
    this.#users.set(user.id, user)
    return true
  }

  async putUser(user: UserRecord): Promise<void> {
    this.#open()
    this.#users.set(user.id, user)
  }

  async deleteUser(id: string): Promise<boolean> {
    this.#open()
    return this.#users.delete(id)
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.#meta.get(key)
  }

  async putMeta(key: string, value: string): Promise<void> {
    this.#open()
    this.#meta.set(key, value)
  }

  async addMessages(copies: NewCopy[]): Promise<CopyVerdict[]> {
    this.#open()
    return copies.map(({ message: m, limits }) => {
      if (limits) {
        if (this.#outbox(m.sender) >= limits.outboxMaxMessages) return 507
        const box = this.#boxes.get(m.recipient)
        const bytes = [...(box?.values() ?? [])].reduce((n, x) => n + x.size, 0)
        if ((box?.size ?? 0) + 1 > limits.inboxMaxMessages || bytes + m.size > limits.inboxMaxBytes) return 410
      }
      mapOf(this.#boxes, m.recipient).set(m.id, m)
      this.#settled.delete(`${m.recipient}\n${m.id}`)
      return 'stored'
    })
  }

  async listMessages(recipient: string): Promise<StoredMessage[]> {
    return [...(this.#boxes.get(recipient)?.values() ?? [])]
  }

  async getMessage(recipient: string, id: string): Promise<StoredMessage | undefined> {
    return this.#boxes.get(recipient)?.get(id)
  }

  async removeMessage(recipient: string, id: string, outcome: Settlement): Promise<StoredMessage | undefined> {
    this.#open()
    const box = this.#boxes.get(recipient)
    const m = box?.get(id)
    if (!box || !m) return undefined
    box.delete(id)
    if (box.size === 0) this.#boxes.delete(recipient)
    this.#settled.set(`${recipient}\n${id}`, outcome.code)
    if (this.#settled.size > 50_000) this.#settled.delete(this.#settled.keys().next().value!)
    if (outcome.report) mapOf(this.#reports, outcome.report.owner).set(outcome.report.id, outcome.report)
    return m
  }

  async settledOutcome(recipient: string, id: string): Promise<number | undefined> {
    return this.#settled.get(`${recipient}\n${id}`)
  }

  async listReports(owner: string): Promise<StoredReport[]> {
    return [...(this.#reports.get(owner)?.values() ?? [])]
  }

  async removeReport(owner: string, id: string): Promise<StoredReport | undefined> {
    this.#open()
    const reports = this.#reports.get(owner)
    const r = reports?.get(id)
    reports?.delete(id)
    return r
  }

  async fileRelayedReport(report: StoredReport): Promise<boolean> {
    this.#open()
    const key = `${report.recipient}\n${report.messageId}`
    const reports = mapOf(this.#reports, report.owner)
    if (this.#settled.get(key) !== 202 || reports.has(report.id)) return false
    this.#settled.set(key, report.code)
    reports.set(report.id, report)
    return true
  }

  async recentReports({ code, limit }: { code?: number; limit: number }): Promise<StoredReport[]> {
    return [...this.#reports.values()]
      .flatMap((m) => [...m.values()])
      .filter((r) => code === undefined || r.code === code)
      .sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
  }

  async usage(users: string[]): Promise<UserUsage[]> {
    return users.map((user) => {
      const box = [...(this.#boxes.get(user)?.values() ?? [])]
      return {
        user,
        inbox: { messages: box.length, bytes: box.reduce((n, m) => n + m.size, 0) },
        outbox: this.#outbox(user),
        reports: this.#reports.get(user)?.size ?? 0,
      }
    })
  }

  exclusive<T>(_name: string, work: () => Promise<T>): Promise<T | undefined> {
    return work() // one process holds this store
  }

  async waitingAt(domain: string): Promise<string[]> {
    const holding = (boxes: Map<string, Map<string, unknown>>) => [...boxes].filter(([, b]) => b.size > 0).map(([a]) => a)
    const addresses = new Set([...holding(this.#boxes), ...holding(this.#reports)])
    return [...addresses].filter((a) => a.endsWith(`@${domain}`)).sort()
  }

  async dueForExpiry(now: number): Promise<string[]> {
    return [...this.#boxes].filter(([, box]) => [...box.values()].some((m) => m.validUntil <= now)).map(([user]) => user)
  }

  async largestMailboxes(limit: number): Promise<MailboxSummary[]> {
    return [...this.#boxes]
      .map(([user, box]) => ({ user, messages: box.size, bytes: [...box.values()].reduce((n, m) => n + m.size, 0) }))
      .sort((a, b) => b.messages - a.messages || (a.user < b.user ? -1 : 1))
      .slice(0, limit)
  }

  async stats(): Promise<StoreStats> {
    const messages = [...this.#boxes.values()].flatMap((box) => [...box.values()])
    return {
      users: this.#users.size,
      disabled: [...this.#users.values()].filter((u) => u.disabled).length,
      messages: messages.length,
      bytes: messages.reduce((n, m) => n + m.size, 0),
      reports: [...this.#reports.values()].reduce((n, r) => n + r.size, 0),
      diskBytes: 0,
    }
  }

  async checkWritable(): Promise<void> {
    this.#open()
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  #outbox(sender: string): number {
    let n = 0
    for (const box of this.#boxes.values()) for (const m of box.values()) if (m.sender === sender) n++
    return n
  }

  #open(): void {
    if (this.#closed) throw new Error('the store is closed')
  }
}

function mapOf<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = outer.get(key)
  if (!inner) outer.set(key, (inner = new Map()))
  return inner
}
