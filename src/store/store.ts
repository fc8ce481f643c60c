import type { InboxUsage, StoredMessage, StoredReport, UserRecord } from '../core/types.js'

/**
 * The storage port. Every method is asynchronous, so a store may live in memory, in files or in a database.
 * A write's promise resolves only once the change is durable; a rejected write left nothing half-stored, and
 * nothing a reader is shown can still be undone.
 */
export interface Store {
  getUser(id: string): Promise<UserRecord | undefined>
  listUsers(): Promise<UserRecord[]>
  /** adds an account unless the id is taken (false then), in one atomic step */
  createUser(user: UserRecord): Promise<boolean>
  /** replaces an existing account */
  putUser(user: UserRecord): Promise<void>
  /** removes an account (what waits for or from it is the caller's to settle first); false if there was none */
  deleteUser(id: string): Promise<boolean>
  getMeta(key: string): Promise<string | undefined>
  putMeta(key: string, value: string): Promise<void>

  /**
   * Stores the copies of one send in one durable step, checking each offline copy against its limits in the
   * same atomic step: under any interleaving of sends, a quota is never exceeded. Copies are judged in order
   * (the sender's earlier copies count against its later ones); a refused copy is not stored.
   */
  addMessages(copies: NewCopy[]): Promise<CopyVerdict[]>
  /** oldest first */
  listMessages(recipient: string): Promise<StoredMessage[]>
  getMessage(recipient: string, id: string): Promise<StoredMessage | undefined>
  /**
   * Settles a copy: removes it, remembers how it ended, and files its report (if any), in one durable step.
   * Undefined when it was already gone.
   */
  removeMessage(recipient: string, id: string, outcome: Settlement): Promise<StoredMessage | undefined>
  /** how a copy that is gone was settled (200, 538, …), while the store remembers it; waits for a settlement in flight */
  settledOutcome(recipient: string, id: string): Promise<number | undefined>

  listReports(owner: string): Promise<StoredReport[]>
  /**
   * Files a report a relay peer sent about a copy this store handed over to it: only if that copy
   * (`report.recipient`, `report.messageId`) was settled here as handed over (202) and nothing was reported on
   * it since, and in the same step remembers it as reported (its outcome becomes the report's code). So a
   * report the peer sends again, or one about a message never relayed, is not filed (false).
   */
  fileRelayedReport(report: StoredReport): Promise<boolean>
  removeReport(owner: string, id: string): Promise<StoredReport | undefined>
  /** reports waiting for any sender, newest first, optionally of one outcome */
  recentReports(opts: { code?: number; limit: number }): Promise<StoredReport[]>

  /** what waits for and from each user, in the order asked */
  usage(users: string[]): Promise<UserUsage[]>
  /** the addresses `…@domain` for which messages or reports wait: the relay's backlog for that peer */
  waitingAt(domain: string): Promise<string[]>
  /**
   * Runs `work` while holding the lock named `name` for every process on this store, or does nothing and
   * returns undefined if another holds it: the relay hands a peer one batch at a time across all nodes. A
   * store only one process opens has nobody to share with, and just runs `work`.
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined>
  /** users who have a waiting message whose validity may have ended by `now` */
  dueForExpiry(now: number): Promise<string[]>
  /** the fullest mailboxes, by message count */
  largestMailboxes(limit: number): Promise<MailboxSummary[]>
  stats(): Promise<StoreStats>

  /** throws when the store cannot take writes (healthz) */
  checkWritable(): Promise<void>
  close(): Promise<void>
}

/** a copy to store; an offline copy carries the limits it must fit within */
export interface NewCopy {
  message: StoredMessage
  limits?: CopyLimits
}

export interface CopyLimits {
  /** the sender's: how many of its messages may wait in all */
  outboxMaxMessages: number
  /** the recipient's offline store */
  inboxMaxMessages: number
  inboxMaxBytes: number
}

/** stored, or refused: 507 the sender's queue is full, 410 the recipient's store is full */
export type CopyVerdict = 'stored' | 507 | 410

export interface Settlement {
  code: number
  report?: StoredReport
}

export interface UserUsage {
  user: string
  inbox: InboxUsage
  /** the user's messages waiting in anyone's mailbox */
  outbox: number
  reports: number
}

export interface MailboxSummary {
  user: string
  messages: number
  bytes: number
}

export interface StoreStats {
  users: number
  disabled: number
  messages: number
  bytes: number
  reports: number
  diskBytes: number
}
