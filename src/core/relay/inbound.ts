import { isBlocked } from '../blocklist.js'
import { CODES, type Code } from '../codes.js'
import type { Core } from '../context.js'
import { acceptsMessageType, onlineRefusal } from '../messaging.js'
import type { NewCopy } from '../ports.js'
import { limitsFor } from '../quotas.js'
import { relayForbidden } from '../refusals.js'
import type { FinalCode } from '../reports.js'
import { writing } from '../storage-failure.js'
import type { Capabilities, StoredMessage, StoredReport, UserRecord } from '../types.js'
import { remoteDomain } from './address.js'
import type { RelayVerdict } from './peer-link.js'

/** a message a peer hands over: its sender is the peer's user (`alice@a.example`), its recipient ours (`bob`) */
export type RelayedMessage = Omit<StoredMessage, 'size' | 'offline'>

/** a report a peer sends back: its owner is ours (the sender), its recipient the peer's user */
export type RelayedReport = Pick<StoredReport, 'id' | 'owner' | 'messageId' | 'recipient' | 'code' | 'deliveredAt'>

/** the outcomes a peer may report on a copy our user sent (PROTOCOL.md 10) */
export const REPORTABLE = new Set<number>([200, 410, 413, 415, 531, 532, 533, 538, 542])

/** no open relay: every sender must be the signing peer's user, every recipient ours (else 403, nothing stored) */
function checkRouting(peer: string, pairs: Array<{ ours: string; theirs: string }>): void {
  for (const { ours, theirs } of pairs) {
    if (remoteDomain(theirs) !== peer) throw relayForbidden(`"${theirs.slice(0, 80)}" is not a user of ${peer}, the server that signed this request`)
    if (remoteDomain(ours) !== undefined) throw relayForbidden(`"${ours.slice(0, 80)}" is not a user of this server; it relays for no one else`)
  }
}

/**
 * Messages a peer relays to our users: each is judged by the ordinary send rules (unknown or disabled 531,
 * blocked 532, expired 542, size and type, the recipient's offline quota 410) and stored in one durable step
 * with the rest of the batch. A message already taken (a retry whose answer was lost) is accepted again and
 * stored once. Resolves with a verdict per message only once what was accepted is durable.
 */
export async function acceptRelayedMessages(core: Core, peer: string, messages: RelayedMessage[]): Promise<RelayVerdict[]> {
  checkRouting(peer, messages.map((m) => ({ ours: m.recipient, theirs: m.sender })))
  const now = core.clock.now()
  const maxValidUntil = now + core.config.validityMaxSeconds * 1000
  const verdicts = new Map<string, RelayVerdict>()
  const copies: NewCopy[] = []
  const keyOf = (m: { recipient: string; id: string }) => `${m.recipient}\n${m.id}`
  const unique = [...new Map(messages.map((m) => [keyOf(m), m])).values()]
  await Promise.all(unique.map(async (relayed) => {
    const user = await core.store.getUser(relayed.recipient)
    // only a user's box can hold the copy already (a retry whose answer was lost): nobody else's is read
    const [waiting, settled] = user
      ? await Promise.all([core.store.getMessage(relayed.recipient, relayed.id), core.store.settledOutcome(relayed.recipient, relayed.id)])
      : [undefined, undefined]
    if (waiting || settled !== undefined) return void verdicts.set(keyOf(relayed), { accepted: true })
    const size = Buffer.byteLength(relayed.body, 'utf8')
    const live = core.sessions.capabilitiesOf(relayed.recipient)
    const online = live.length > 0
    const refusal = judge(core, user, relayed, size, live, now)
    if (refusal) return void verdicts.set(keyOf(relayed), { accepted: false, code: refusal })
    const message: StoredMessage = { ...relayed, size, offline: !online, validUntil: Math.min(relayed.validUntil, maxValidUntil) }
    // the sender's queue was counted on the peer; here only the recipient's store limits what waits
    const limits = { ...limitsFor(core.config, user), outboxMaxMessages: Number.MAX_SAFE_INTEGER }
    copies.push(online ? { message } : { message, limits })
  }))
  const stored = copies.length ? await writing(core, core.store.addMessages(copies)) : []
  copies.forEach(({ message }, i) => {
    if (stored[i] !== 'stored') return void verdicts.set(keyOf(message), { accepted: false, code: 410 })
    verdicts.set(keyOf(message), { accepted: true })
    core.bus.publish({ type: 'MessageStored', message })
  })
  const refused = [...verdicts.values()].filter((v) => !v.accepted).length
  core.log('relay', 'received', { peer, messages: messages.length, refused })
  return messages.map((m) => verdicts.get(keyOf(m))!)
}

/** `live`: what each of the recipient's live sessions accepts (none: offline) */
function judge(core: Core, user: UserRecord | undefined, m: RelayedMessage, size: number, live: Capabilities[], now: number): FinalCode | undefined {
  if (!user || user.disabled) return 531
  if (isBlocked(user, m.sender)) return 532
  if (m.validUntil <= now) return 542
  if (size > core.config.maxBodyBytes) return 413
  if (!acceptsMessageType(m.contentType)) return 415
  if (live.length) return onlineRefusal(live, m.contentType, size)
  return core.config.offline ? undefined : 533
}

/**
 * Delivery reports a peer sends back about copies our users sent to its users: filed for the sender, and handed
 * to the sender's sessions like a report of our own, only for a copy we did hand over to that peer, and once
 * however often the peer sends it. Resolves with how many were filed.
 */
export async function acceptRelayedReports(core: Core, peer: string, reports: RelayedReport[]): Promise<number> {
  checkRouting(peer, reports.map((r) => ({ ours: r.owner, theirs: r.recipient })))
  const now = core.clock.now()
  let filed = 0
  for (const relayed of reports) {
    const report: StoredReport = { ...relayed, text: CODES[relayed.code as Code].text, at: now }
    if (!(await writing(core, core.store.fileRelayedReport(report)))) continue
    filed++
    core.bus.publish({ type: 'ReportArrived', report, domain: peer })
  }
  core.log('relay', 'reports_received', { peer, reports: reports.length, filed })
  return filed
}
