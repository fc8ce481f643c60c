import type { StoredMessage, StoredReport, UserRecord } from '../../core/types.js'
import type { CopyVerdict, MailboxSummary, NewCopy, Settlement, Store, StoreStats, UserUsage } from '../store.js'
import { type AccountsFile, emptyAccounts } from './accounts-file.js'
import { type Op, type Box, applyOp, inverseOp, opUser } from './box.js'
import { CommitGate } from './commit-gate.js'
import { judgeCopies } from './quota-check.js'
import { Tally } from './tally.js'

/**
 * The embedded store's in-memory half: accounts, boxes changed by ops, counters in a Tally. Every change is
 * applied in one synchronous step (which is what makes a quota check and the copies it admits atomic), then
 * made durable by the subclass; undone if that fails.
 */
export abstract class BoxStore implements Store {
  protected readonly tally = new Tally()
  protected readonly gate = new CommitGate()
  protected accounts: AccountsFile = emptyAccounts()
  /** removals not yet durable, per `user\nid`: a reader of how a copy was settled waits for them */
  readonly #settling = new Map<string, Promise<unknown>>()

  /** loads (or creates) a user's box */
  protected abstract loadBox(user: string): Promise<void>
  /** the box if it is in memory now */
  protected abstract cachedBox(user: string): Box | undefined
  abstract exclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined>
  /** marks a box changed since it was last written */
  protected abstract touch(user: string): void
  /** makes a batch of ops durable, or rejects having made none of them durable */
  protected abstract persist(ops: Op[]): Promise<void>
  protected abstract saveAccounts(): Promise<void>
  protected abstract diskBytes(): number
  abstract checkWritable(): Promise<void>
  abstract close(): Promise<void>

  async getUser(id: string): Promise<UserRecord | undefined> {
    return this.userNow(id)
  }

  async listUsers(): Promise<UserRecord[]> {
    return Object.values(this.accounts.users)
  }

  async createUser(user: UserRecord): Promise<boolean> {
    if (this.userNow(user.id)) return false
    await this.#saveUser(user)
    return true
  }

  async putUser(user: UserRecord): Promise<void> {
    await this.#saveUser(user)
  }

  async deleteUser(id: string): Promise<boolean> {
    const previous = this.userNow(id)
    if (!previous) return false
    delete this.accounts.users[id]
    try {
      await this.saveAccounts()
    } catch (err) {
      this.accounts.users[id] ??= previous
      throw err
    }
    return true
  }

  async getMeta(key: string): Promise<string | undefined> {
    return Object.hasOwn(this.accounts.meta, key) ? this.accounts.meta[key] : undefined
  }

  async putMeta(key: string, value: string): Promise<void> {
    const previous = await this.getMeta(key)
    this.accounts.meta[key] = value
    try {
      await this.saveAccounts()
    } catch (err) {
      if (previous === undefined) delete this.accounts.meta[key]
      else this.accounts.meta[key] = previous
      throw err
    }
  }

  async addMessages(copies: NewCopy[]): Promise<CopyVerdict[]> {
    let verdicts: CopyVerdict[] = []
    const ops: Op[] = copies.map((c) => ({ o: 'm', m: c.message }))
    await this.commit(ops, () => {
      // runs in the same synchronous step that applies and counts what it admits
      verdicts = judgeCopies(copies, this.tally)
      return ops.filter((_, i) => verdicts[i] === 'stored')
    })
    return verdicts
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

  async removeMessage(recipient: string, id: string, outcome: Settlement): Promise<StoredMessage | undefined> {
    const ops: Op[] = [{ o: 'd', u: recipient, id, c: outcome.code }]
    if (outcome.report) ops.push({ o: 'r', r: outcome.report })
    const key = `${recipient}\n${id}`
    const removing = this.commit(ops, (planned) => planned, (results) => results[0] !== undefined)
    const tracked = Promise.allSettled([this.#settling.get(key), removing])
    this.#settling.set(key, tracked)
    void tracked.then(() => {
      if (this.#settling.get(key) === tracked) this.#settling.delete(key)
    })
    const [removed] = await removing
    return removed as StoredMessage | undefined
  }

  async settledOutcome(recipient: string, id: string): Promise<number | undefined> {
    await this.#settling.get(`${recipient}\n${id}`)
    const box = await this.box(recipient)
    return box.messages.has(id) ? undefined : box.settled.get(id)
  }

  async listReports(owner: string): Promise<StoredReport[]> {
    return [...(await this.box(owner)).reports.values()].filter((r) => this.#durable(owner, r.id))
  }

  async removeReport(owner: string, id: string): Promise<StoredReport | undefined> {
    const [removed] = await this.commit([{ o: 'a', u: owner, id }], (planned) => planned, (results) => results[0] !== undefined)
    return removed as StoredReport | undefined
  }

  async fileRelayedReport(report: StoredReport): Promise<boolean> {
    const ops: Op[] = [{ o: 's', u: report.recipient, id: report.messageId, c: report.code }, { o: 'r', r: report }]
    let filed = false
    await this.commit(ops, (planned) => {
      // runs in the commit's synchronous step, with both boxes loaded
      filed = this.cachedBox(report.recipient)?.settled.get(report.messageId) === 202 && !this.cachedBox(report.owner)?.reports.has(report.id)
      return filed ? planned : []
    })
    return filed
  }

  async recentReports({ code, limit }: { code?: number; limit: number }): Promise<StoredReport[]> {
    const out: StoredReport[] = []
    for (const owner of this.tally.reportOwners()) {
      for (const r of await this.listReports(owner)) if (code === undefined || r.code === code) out.push(r)
    }
    return out.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1)).slice(0, limit)
  }

  async usage(users: string[]): Promise<UserUsage[]> {
    return users.map((user) => ({
      user, inbox: this.tally.inbox(user), outbox: this.tally.outbox(user), reports: this.tally.reports(user),
    }))
  }

  async waitingAt(domain: string): Promise<string[]> {
    const suffix = `@${domain}`
    const addresses = new Set([...this.tally.mailboxes().map((b) => b.user), ...this.tally.reportOwners()])
    return [...addresses].filter((a) => a.endsWith(suffix)).sort()
  }

  async dueForExpiry(now: number): Promise<string[]> {
    return this.tally.mailboxes().filter((b) => b.earliestValidUntil <= now).map((b) => b.user)
  }

  async largestMailboxes(limit: number): Promise<MailboxSummary[]> {
    return this.tally.mailboxes()
      .sort((a, b) => b.messages - a.messages || (a.user < b.user ? -1 : 1))
      .slice(0, limit)
      .map(({ user, messages, bytes }) => ({ user, messages, bytes }))
  }

  async stats(): Promise<StoreStats> {
    const users = Object.values(this.accounts.users)
    return { users: users.length, disabled: users.filter((u) => u.disabled).length, ...this.tally.totals(), diskBytes: this.diskBytes() }
  }

  protected userNow(id: string): UserRecord | undefined {
    // own properties only: "constructor" is a valid user id, and no user
    return Object.hasOwn(this.accounts.users, id) ? this.accounts.users[id] : undefined
  }

  async #saveUser(user: UserRecord): Promise<void> {
    const previous = this.userNow(user.id)
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
   * `plan`, called in that step, picks the ops to apply (a quota check); `proceed` can look at what applying
   * changed and cancel (undo, nothing persisted): removing something already gone writes nothing.
   * Returns what each op changed, in the order given (undefined for an op not applied).
   */
  protected async commit(
    ops: Op[],
    plan: (ops: Op[]) => Op[] = (planned) => planned,
    proceed: (results: unknown[]) => boolean = () => true,
  ): Promise<unknown[]> {
    const users = [...new Set(ops.map(opUser))]
    // the usual case, every box in memory and no checkpoint starting, goes on without yielding
    let boxes = this.#readyBoxes(users)
    while (!boxes) {
      await this.gate.wait()
      await Promise.all(users.map((u) => this.loadBox(u)))
      boxes = this.#readyBoxes(users) // undefined again if a checkpoint began meanwhile: its snapshot must not see this commit
    }
    const chosen = new Set(plan(ops))
    // what another commit is still adding cannot be removed yet: to every reader it does not exist
    const results = ops.map((op) =>
      !chosen.has(op) || ((op.o === 'd' || op.o === 'a') && !this.#durable(op.u, op.id)) ? undefined : applyOp(boxes.get(opUser(op))!, op),
    )
    const applied = ops.filter((_, i) => results[i] !== undefined)
    const added = ops.flatMap((op, i) => (results[i] && (op.o === 'm' || op.o === 'r') ? [addedKey(op)] : []))
    const undo = () =>
      ops.forEach((op, i) => {
        const inverse = inverseOp(op, results[i])
        if (inverse && applyOp(boxes.get(opUser(inverse))!, inverse)) this.countApplied(inverse, results[i])
      })
    ops.forEach((op, i) => this.countApplied(op, results[i]))
    if (!applied.length || !proceed(results)) {
      undo()
      return results.map(() => undefined)
    }
    for (const u of users) this.touch(u)
    for (const key of added) this.#adding.add(key)
    this.gate.enter()
    try {
      await this.persist(applied)
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

  /** the users' boxes, if the gate is open and every one of them is in memory */
  #readyBoxes(users: string[]): Map<string, Box> | undefined {
    if (this.gate.closed) return undefined
    const boxes = new Map<string, Box>()
    for (const u of users) {
      const box = this.cachedBox(u)
      if (!box) return undefined
      boxes.set(u, box)
    }
    return boxes
  }

  /** keeps the tally in step with an op that changed a box (`changed` is what it added or removed) */
  protected countApplied(op: Op, changed: unknown): void {
    if (!changed) return
    if (op.o === 'm') this.tally.addMessage(op.m)
    if (op.o === 'd') this.tally.removeMessage(changed as StoredMessage)
    if (op.o === 'r') this.tally.addReport(op.r)
    if (op.o === 'a') this.tally.removeReport(changed as StoredReport)
  }
}

function addedKey(op: Op): string {
  return op.o === 'm' ? `${op.m.recipient}\n${op.m.id}` : op.o === 'r' ? `${op.r.owner}\n${op.r.id}` : ''
}
