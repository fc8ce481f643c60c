import type { InboxUsage, StoredMessage, StoredReport, UserRecord } from '../core/types.js'

/**
 * The narrow storage interface the core uses. Every promise that a write returns resolves only once the
 * change is durable; a rejected write left nothing half-stored.
 */
export interface Store {
  /** accounts are few and small: held in memory, read synchronously */
  getUser(id: string): UserRecord | undefined
  listUsers(): UserRecord[]
  putUser(user: UserRecord): Promise<void>
  getMeta(key: string): string | undefined
  putMeta(key: string, value: string): Promise<void>

  /** stores every copy of one send in one durable step */
  addMessages(messages: StoredMessage[]): Promise<void>
  /** oldest first */
  listMessages(recipient: string): Promise<StoredMessage[]>
  getMessage(recipient: string, id: string): Promise<StoredMessage | undefined>
  /** removes a message and, in the same durable step, files the report it settles into (if any) */
  removeMessage(recipient: string, id: string, report?: StoredReport): Promise<StoredMessage | undefined>

  addReport(report: StoredReport): Promise<void>
  listReports(owner: string): Promise<StoredReport[]>
  removeReport(owner: string, id: string): Promise<StoredReport | undefined>

  /** counters kept in memory, derived from what is stored at open */
  inboxUsage(recipient: string): InboxUsage
  outboxQueued(sender: string): number
  reportCount(owner: string): number
  /** users with waiting messages and the earliest validUntil among them (for the expiry sweep) */
  mailboxes(): MailboxSummary[]
  stats(): StoreStats

  /** throws when the store cannot take writes (healthz) */
  checkWritable(): Promise<void>
  close(): Promise<void>
}

export interface MailboxSummary {
  user: string
  messages: number
  bytes: number
  earliestValidUntil: number
}

export interface StoreStats {
  users: number
  messages: number
  bytes: number
  reports: number
  diskBytes: number
}
