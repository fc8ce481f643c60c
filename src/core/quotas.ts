import type { Config } from '../config.js'
import type { Core } from './context.js'
import type { CopyLimits } from './ports.js'
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

/** what an offline copy from `sender` to `recipient` must fit within: the sender's queue, the recipient's store */
export function copyLimits(config: Config, sender: UserRecord, recipient: UserRecord): CopyLimits {
  const ofRecipient = limitsFor(config, recipient)
  return {
    outboxMaxMessages: limitsFor(config, sender).outboxMaxMessages,
    inboxMaxMessages: ofRecipient.inboxMaxMessages,
    inboxMaxBytes: ofRecipient.inboxMaxBytes,
  }
}

/** what a copy queued for a relay peer must fit within: the sender's queue, and the default store of one address */
export function relayLimits(config: Config, sender: UserRecord): CopyLimits {
  const ofDefault = limitsFor(config, undefined)
  return { outboxMaxMessages: limitsFor(config, sender).outboxMaxMessages, inboxMaxMessages: ofDefault.inboxMaxMessages, inboxMaxBytes: ofDefault.inboxMaxBytes }
}

export interface QuotaUsage {
  inbox: { messages: number; bytes: number; maxMessages: number; maxBytes: number }
  outbox: { queued: number; maxQueued: number }
}

/** a user's own usage against their limits */
export async function quotaOf(core: Core, userId: string): Promise<QuotaUsage> {
  const [user, [usage]] = await Promise.all([core.store.getUser(userId), core.store.usage([userId])])
  const limits = limitsFor(core.config, user)
  return {
    inbox: { ...usage.inbox, maxMessages: limits.inboxMaxMessages, maxBytes: limits.inboxMaxBytes },
    outbox: { queued: usage.outbox, maxQueued: limits.outboxMaxMessages },
  }
}
