import type { Core } from './context.js'
import { settle } from './reports.js'

/**
 * Removes every copy whose validity ran out (reported as 542 to senders who asked) and ends sessions that
 * timed out. Expired copies are already hidden from lists and streams before this runs; this frees the space.
 */
export async function sweep(core: Core): Promise<{ expired: number; sessions: number }> {
  const now = core.clock.now()
  let expired = 0
  for (const user of await core.store.dueForExpiry(now)) {
    for (const m of await core.store.listMessages(user)) {
      if (m.validUntil <= now && !core.relay?.isInFlight(m) && (await settle(core, m, 542))) expired++
    }
  }
  const sessions = core.sessions.sweep().length
  if (expired || sessions) core.log('sweep', 'done', { expired, sessions })
  return { expired, sessions }
}
