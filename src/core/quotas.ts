import type { Config } from '../config.js'
import type { Code } from './codes.js'
import type { Store } from '../store/store.js'
import type { UserRecord } from './types.js'

export interface Limits {
  inboxMaxMessages: number
  inboxMaxBytes: number
  outboxMaxMessages: number
}

/** the user's own overrides where set, else the configured defaults */
export function limitsFor(config: Config, user: UserRecord | undefined): Limits {
  return {
    inboxMaxMessages: user?.quotas.inboxMaxMessages ?? config.inboxMaxMessages,
    inboxMaxBytes: user?.quotas.inboxMaxBytes ?? config.inboxMaxBytes,
    outboxMaxMessages: user?.quotas.outboxMaxMessages ?? config.outboxMaxMessages,
  }
}

/**
 * Whether one more message of `size` bytes may wait offline for `recipient`: 507 when the sender's queue is
 * full (checked first), 410 when the recipient's store is. `alreadyTaken` counts copies this same send has
 * already queued for other recipients.
 */
export function offlineQuotaRefusal(
  config: Config, store: Store, sender: UserRecord, recipient: UserRecord, size: number, alreadyTaken: number,
): Code | undefined {
  if (store.outboxQueued(sender.id) + alreadyTaken >= limitsFor(config, sender).outboxMaxMessages) return 507
  const inbox = store.inboxUsage(recipient.id)
  const limits = limitsFor(config, recipient)
  if (inbox.messages + 1 > limits.inboxMaxMessages || inbox.bytes + size > limits.inboxMaxBytes) return 410
  return undefined
}
