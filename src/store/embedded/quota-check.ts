import type { CopyVerdict, NewCopy } from '../store.js'
import type { Tally } from './tally.js'

/**
 * The verdict on each copy of one send against what waits now: 507 when the sender's queue is full (checked
 * first), 410 when the recipient's store is, counting the copies of this send admitted before it (every copy waits until confirmed, online ones too). Only an
 * offline copy (one that carries limits) can be refused.
 */
export function judgeCopies(copies: NewCopy[], tally: Tally): CopyVerdict[] {
  let senderExtra = 0
  const inboxExtra = new Map<string, { messages: number; bytes: number }>()
  return copies.map(({ message: m, limits }) => {
    if (limits) {
      if (tally.outbox(m.sender) + senderExtra >= limits.outboxMaxMessages) return 507
      const inbox = tally.inbox(m.recipient)
      const extra = inboxExtra.get(m.recipient) ?? { messages: 0, bytes: 0 }
      if (inbox.messages + extra.messages + 1 > limits.inboxMaxMessages || inbox.bytes + extra.bytes + m.size > limits.inboxMaxBytes) {
        return 410
      }
      inboxExtra.set(m.recipient, { messages: extra.messages + 1, bytes: extra.bytes + m.size })
    }
    senderExtra++
    return 'stored'
  })
}
