import type { InboxUsage, StoredMessage, StoredReport, UserRecord } from '../core/types.js'
import { type Op, type Box, applyOp, inverseOp, opUser } from './box.js'
import type { MailboxSummary, Store, StoreStats } from './store.js'
import { Tally } from './tally.js'
import { CommitGate } from './commit-gate.js'

export const ACCOUNTS_SCHEMA = 1

export interface AccountsFile {
  schema: number
  users: Record<string, UserRecord>
  meta: Record<string, string>
}

export function emptyAccounts(): AccountsFile {
  return { schema: ACCOUNTS_SCHEMA, users: {}, meta: {} }
}

/**
 * What every store shares: accounts in memory, boxes changed by ops, counters in a Tally. Subclasses say
 * where a box comes from and how a batch of ops and the accounts become durable.
 */
export abstract class BoxStore implements Store {
  protected readonly tally = new Tally()
  protected readonly gate = new CommitGate()
  protected accounts: AccountsFile = emptyAccounts()

  /** loads (or creates) a user's box */
  protected abstract loadBox(user: string): Promise<void>
  /** the box if it is in memory now */
  protected abstract cachedBox(user: string): Box | undefined
  /** marks a box changed since it was last written */
  protected abstract touch(user: string): void
  /** makes a batch of ops durable, or rejects having made none of them durable */
  protected abstract persist(ops: Op[]): Promise<void>
  protected abstract saveAccounts(): Promise<void>
  abstract stats(): StoreStats
  abstract checkWritable(): Promise<void>
  abstract close(): Promise<void>

  getUser(id: string): UserRecord | undefined {
    // own properties only: "constructor" is a valid user id, and no user
    return Object.hasOwn(this.accounts.users, id) ? this.accounts.users[id] : undefined
  }

  listUsers(): UserRecord[] {
    return Object.values(this.accounts.users)
  }

  async putUser(user: UserRecord): Promise<void> {
    const previous = this.getUser(user.id)
    this.accounts.users[user.id] = user
    try {
      await this.saveAccounts()
    } catch (err) {
      if (this.accounts.users[user.id] === user) {
        if (previous) this.accounts.users[user.id] = previous
        else delete this.accounts.users[user.id]
      }
      throw err
    }
  }

  getMeta(key: string): string | undefined {
    return Object.hasOwn(this.accounts.meta, key) ? this.accounts.meta[key] : undefined
  }

  async putMeta(key: string, value: string): Promise<void> {
    const previous = this.getMeta(key)
    this.accounts.meta[key] = value
    try {
      await this.saveAccounts()
    } catch (err) {
      if (previous === undefined) delete this.accounts.meta[key]
      else this.accounts.meta[key] = previous
      throw err
    }
  }

  async addMessages(messages: StoredMessage[]): Promise<void> {
    // counted at once, before any await, so that a quota check and this call cannot be interleaved
    for (const m of messages) this.tally.addMessage(m)
    try {
      await this.commit(messages.map((m) => ({ o: 'm', m })))
    } catch (err) {
      for (const m of messages) this.tally.removeMessage(m)
      throw err
    }
  }

  async listMessages(recipient: string): Promise<StoredMessage[]> {
    const box = await this.box(recipient)
    this.tally.resetEarliest(recipient, box.messages.values())
    return [...box.messages.values()].filter((m) => this.#durable(recipient, m.id))
  }

  async getMessage(recipient: string, id: string): Promise<StoredMessage | undefined> {
    const m = (await this.box(recipient)).messages.get(id)
    return m && this.#durable(recipient, id) ? m : undefined
  }

  async removeMessage(recipient: string, id: string, report?: StoredReport): Promise<StoredMessage | undefined> {
    const ops: Op[] = [{ o: 'd', u: recipient, id }]
    if (report) ops.push({ o: 'r', r: report })
    const [removed] = await this.commit(ops, (results) => results[0] !== undefined)
    return removed as StoredMessage | undefined
  }

  async addReport(report: StoredReport): Promise<void> {
    await this.commit([{ o: 'r', r: report }])
  }

  async listReports(owner: string): Promise<StoredReport[]> {
    return [...(await this.box(owner)).reports.values()].filter((r) => this.#durable(owner, r.id))
  }

  async removeReport(owner: string, id: string): Promise<StoredReport | undefined> {
    const [removed] = await this.commit([{ o: 'a', u: owner, id }], (results) => results[0] !== undefined)
    return removed as StoredReport | undefined
  }

  inboxUsage(recipient: string): InboxUsage {
    return this.tally.inbox(recipient)
  }

  outboxQueued(sender: string): number {
    return this.tally.outbox(sender)
  }

  reportCount(owner: string): number {
    return this.tally.reports(owner)
  }

  mailboxes(): MailboxSummary[] {
    return this.tally.mailboxes()
  }

  /**
   * Messages and reports whose adding is not yet on disk (`user\nid`). Readers do not see them, so nothing can
   * be shown, confirmed or acknowledged before it is durable, and undoing a failed batch never races a reader.
   */
  readonly #adding = new Set<string>()

  #durable(user: string, id: string): boolean {
    return this.#adding.size === 0 || !this.#adding.has(`${user}\n${id}`)
  }

  protected async box(user: string): Promise<Box> {
    for (;;) {
      await this.loadBox(user)
      const box = this.cachedBox(user)
      if (box) return box
    }
  }

  /**
   * Applies ops to their boxes in one synchronous step, then makes them durable; undoes them if that fails.
   * `proceed` can look at what applying changed and cancel (undo, nothing persisted) — e.g. removing
   * something already gone writes nothing.
   */
  protected async commit(ops: Op[], proceed: (results: unknown[]) => boolean = () => true): Promise<unknown[]> {
    const users = [...new Set(ops.map(opUser))]
    let boxes: Map<string, Box>
    for (;;) {
      await this.gate.wait()
      await Promise.all(users.map((u) => this.loadBox(u)))
      if (this.gate.closed) continue // a checkpoint began meanwhile: its snapshot must not see this commit
      const loaded = users.map((u) => [u, this.cachedBox(u)] as const)
      if (loaded.every(([, b]) => b)) {
        boxes = new Map(loaded as [string, Box][])
        break
      }
    }
    // what another commit is still adding cannot be removed yet: to every reader it does not exist
    const results = ops.map((op) =>
      (op.o === 'd' || op.o === 'a') && !this.#durable(op.u, op.id) ? undefined : applyOp(boxes.get(opUser(op))!, op),
    )
    const added = ops.flatMap((op, i) => (results[i] && (op.o === 'm' || op.o === 'r') ? [addedKey(op)] : []))
    const undo = () =>
      ops.forEach((op, i) => {
        const inverse = inverseOp(op, results[i])
        if (inverse && applyOp(boxes.get(opUser(inverse))!, inverse)) this.#countUndone(op, results[i])
      })
    ops.forEach((op, i) => this.countApplied(op, results[i], false))
    if (!proceed(results)) {
      undo()
      return results
    }
    for (const u of users) this.touch(u)
    for (const key of added) this.#adding.add(key)
    this.gate.enter()
    try {
      await this.persist(ops)
    } catch (err) {
      undo()
      for (const u of users) this.touch(u)
      throw err
    } finally {
      for (const key of added) this.#adding.delete(key)
      this.gate.leave()
    }
    return results
  }

  /** keeps the tally in step with an applied op; `countAdded` is false where addMessages counted up front */
  protected countApplied(op: Op, changed: unknown, countAdded: boolean): void {
    if (!changed) return
    if (op.o === 'm' && countAdded) this.tally.addMessage(op.m)
    if (op.o === 'd') this.tally.removeMessage(changed as StoredMessage)
    if (op.o === 'r') this.tally.addReport(op.r)
    if (op.o === 'a') this.tally.removeReport(changed as StoredReport)
  }

  /** the reverse of countApplied(op, changed, false) */
  #countUndone(op: Op, changed: unknown): void {
    if (!changed) return
    if (op.o === 'd') this.tally.addMessage(changed as StoredMessage)
    if (op.o === 'r') this.tally.removeReport(op.r)
    if (op.o === 'a') this.tally.addReport(changed as StoredReport)
  }
}

function addedKey(op: Op): string {
  return op.o === 'm' ? `${op.m.recipient}\n${op.m.id}` : op.o === 'r' ? `${op.r.owner}\n${op.r.id}` : ''
}
