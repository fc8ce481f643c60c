import type { Core } from './context.js'
import { CODES, type Code } from './codes.js'
import type { StoredMessage, StoredReport } from './types.js'
import { storageFailure } from './storage-failure.js'

export type FinalCode = 200 | 410 | 532 | 538 | 542

/**
 * Settles one recipient's copy: removes it and, if the sender asked, files a delivery report in the same
 * durable step and sends it to the sender's open streams. False if the copy was already gone.
 */
export async function settle(core: Core, m: StoredMessage, code: FinalCode): Promise<boolean> {
  const now = core.clock.now()
  const report: StoredReport | undefined = m.deliveryReport
    ? {
        id: core.ids.id(), owner: m.sender, messageId: m.id, recipient: m.recipient,
        code, text: CODES[code as Code].text, at: now, ...(code === 200 ? { deliveredAt: now } : {}),
      }
    : undefined
  const removing = core.store.removeMessage(m.recipient, m.id, report)
  core.settled.track(m.recipient, m.id, removing.then((gone) => (gone ? code : undefined)))
  let removed: StoredMessage | undefined
  try {
    removed = await removing
  } catch (err) {
    throw storageFailure(core, err)
  }
  if (!removed) return false
  core.log('messages', 'settled', { id: m.id, recipient: m.recipient, code })
  if (report) for (const s of core.hub.connectedSessions(report.owner)) core.hub.emit(s, { event: 'report', report })
  return true
}

export async function acknowledgeReport(core: Core, owner: string, id: string): Promise<boolean> {
  try {
    return (await core.store.removeReport(owner, id)) !== undefined
  } catch (err) {
    throw storageFailure(core, err)
  }
}
