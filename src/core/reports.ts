import { CODES, type Code } from './codes.js'
import type { Core } from './context.js'
import { noSuchReport } from './refusals.js'
import { writing } from './storage-failure.js'
import type { StoredMessage, StoredReport } from './types.js'

/** how a copy ends: delivered, or refused here or by a relay peer (410 full, 413/415 not acceptable, 531 unknown, 532 blocked, 533 no offline messaging there, 538 rejected, 542 expired) */
export type FinalCode = 200 | 410 | 413 | 415 | 531 | 532 | 533 | 538 | 542

/**
 * Settles one recipient's copy: removes it, remembers how it ended and, if the sender asked, files a delivery
 * report, all in one durable step; then tells the bus (the report reaches the sender's connected sessions).
 * False if the copy was already gone.
 */
export async function settle(core: Core, m: StoredMessage, code: FinalCode): Promise<boolean> {
  const now = core.clock.now()
  const report: StoredReport | undefined = m.deliveryReport
    ? {
        id: core.ids.id(), owner: m.sender, messageId: m.id, recipient: m.recipient,
        code, text: CODES[code as Code].text, at: now, ...(code === 200 ? { deliveredAt: now } : {}),
      }
    : undefined
  const removed = await writing(core, core.store.removeMessage(m.recipient, m.id, { code, report }))
  if (!removed) return false
  core.log('messages', 'settled', { id: m.id, recipient: m.recipient, code })
  core.bus.publish({ type: 'MessageSettled', message: removed, code, report })
  return true
}

/** the delivery reports waiting for a sender, oldest first */
export function listReports(core: Core, owner: string): Promise<StoredReport[]> {
  return core.store.listReports(owner)
}

/** the sender has its report: it leaves the server (404 if no such report waits) */
export async function acknowledgeReport(core: Core, owner: string, id: string): Promise<void> {
  if (!(await writing(core, core.store.removeReport(owner, id)))) throw noSuchReport(id)
}
