import type { StoredMessage, StoredReport, UserRecord } from '../../src/core/types.js'

/** Store records for store-level tests. */
let seq = 0
export function msg(recipient: string, sender = 'alice', extra: Partial<StoredMessage> = {}): StoredMessage {
  const id = `m${++seq}`
  return {
    id, sender, recipient, sentAt: seq, contentType: 'text/plain', body: `hello ${id}`, size: `hello ${id}`.length,
    offline: true, validUntil: 1e15, deliveryReport: false, ...extra,
  }
}

export function report(owner: string, messageId = 'x'): StoredReport {
  return { id: `r${++seq}`, owner, messageId, recipient: 'bob', code: 200, text: 'Successful', at: seq, deliveredAt: seq }
}

export function user(id: string): UserRecord {
  return { id, passwordHash: 'h', createdAt: 0, disabled: false, quotas: {}, block: { inUse: false, users: [] }, grant: { inUse: false, users: [] } }
}


/** the messages as copies to store, none of them held to a quota */
export function copies(messages: StoredMessage[]): Array<{ message: StoredMessage }> {
  return messages.map((message) => ({ message }))
}

/** how a test settles a copy when the outcome does not matter to it */
export const delivered = { code: 200 } as const
