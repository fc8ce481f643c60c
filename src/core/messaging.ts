import { isBlocked } from './blocklist.js'
import { accepts } from './capabilities.js'
import { CODES, type Code, type Detail, type Result } from './codes.js'
import type { Core } from './context.js'
import { dropReason, pendingFor } from './delivery.js'
import type { NewCopy } from './ports.js'
import { copyLimits, relayLimits } from './quotas.js'
import { remoteDomain } from './relay/address.js'
import { messageTooLarge, noSuchMessage, notAMessageId, unsupportedMediaType } from './refusals.js'
import { settle } from './reports.js'
import type { Session } from './sessions.js'
import { writing } from './storage-failure.js'
import type { Capabilities, StoredMessage } from './types.js'

/** what a message or report id looks like (ours are nanoids; a relay peer's follow the same rule) */
export const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/

/** a message id as a client gave it, or 426 */
export function checkMessageId(raw: string): string {
  if (!MESSAGE_ID.test(raw)) throw notAMessageId(raw)
  return raw
}

export interface SendRequest {
  to: string[]
  body: string
  contentType: string
  deliveryReport: boolean
  validity?: number
}

/**
 * SendMessage: each recipient is judged (unknown, blocked, online, offline); the copies that may be delivered
 * or kept go to the store, which checks the quotas of offline copies in the same atomic step that stores
 * them; what was stored is told to the bus (the hub hands it to connected sessions).
 */
export async function sendMessage(core: Core, session: Session, req: SendRequest): Promise<{ result: Result; messageId?: string }> {
  const { config, store, clock } = core
  const size = Buffer.byteLength(req.body, 'utf8')
  if (size > config.maxBodyBytes) throw messageTooLarge(size, config.maxBodyBytes)
  if (!acceptsMessageType(req.contentType)) throw unsupportedMediaType(req.contentType)
  const [sender, ...recipients] = await Promise.all([
    store.getUser(session.userId), ...req.to.map((to) => (remoteDomain(to) ? undefined : store.getUser(to))),
  ])
  const now = clock.now()
  const validity = Math.min(req.validity ?? config.validityDefaultSeconds, config.validityMaxSeconds)
  const id = core.ids.id()
  const outcome = new Map<string, Code>()
  const copies: NewCopy[] = []
  req.to.forEach((to, i) => {
    const recipient = recipients[i]
    const domain = remoteDomain(to)
    const live = domain ? [] : core.sessions.capabilitiesOf(to) // what each of the recipient's live sessions accepts
    let code: Code
    if (domain && !(sender && core.relay?.isPeer(domain))) code = 531 // a domain we have no peer for: nobody there we can reach
    else if (domain) code = session.capabilities.offlineMessaging && config.offline ? 202 : 533 // queued as an offline copy is
    else if (!recipient || !sender || recipient.disabled) code = 531 // a disabled account could only pile messages up
    else if (isBlocked(recipient, sender.id)) code = 532
    else if (live.length) code = onlineRefusal(live, req.contentType, size) ?? 200
    else if (!session.capabilities.offlineMessaging || !config.offline) code = 533
    else code = 202
    outcome.set(to, code)
    if (code !== 200 && code !== 202) return
    const message: StoredMessage = {
      id, sender: session.userId, recipient: to, sentAt: now, contentType: req.contentType, body: req.body, size,
      offline: code === 202, validUntil: now + validity * 1000, deliveryReport: req.deliveryReport,
    }
    // a copy for another server waits in our relay queue, counted against the sender like any offline copy
    copies.push(code === 202 ? { message, limits: domain ? relayLimits(config, sender!) : copyLimits(config, sender!, recipient!) } : { message })
  })
  const verdicts = copies.length ? await writing(core, store.addMessages(copies)) : []
  let stored = 0
  copies.forEach(({ message }, i) => {
    const verdict = verdicts[i]
    if (verdict !== 'stored') return void outcome.set(message.recipient, verdict)
    stored++
    core.bus.publish({ type: 'MessageStored', message })
  })
  core.log('messages', 'sent', { id, from: session.userId, to: req.to.length, stored })
  core.bus.publish({ type: 'MessageSent', id, sender: session.userId, outcomes: [...outcome] })
  return { result: aggregate(outcome), ...(stored ? { messageId: id } : {}) }
}

/** IMPS instant messages are text: text/plain, text/x-vCard… (with parameters, 255 characters at most, as relay peers take it) */
export function acceptsMessageType(contentType: string): boolean {
  return contentType.length <= 255 && /^text\/[a-z0-9.+-]+$/.test(contentType.split(';')[0].trim().toLowerCase())
}

/** 415/413 when every live session of an online recipient (what each accepts: `live`) refuses the type or the size */
export function onlineRefusal(live: Capabilities[], contentType: string, size: number): 413 | 415 | undefined {
  const verdicts = live.map((caps) => accepts(caps, contentType, size))
  if (verdicts.includes('yes')) return undefined
  return verdicts.includes('type') ? 415 : 413
}

/** PROTOCOL.md 3: 200 when all got 200; 201 when some got 200/202 and any other; else the shared failure or 900 */
export function aggregate(outcome: Map<string, Code>): Result {
  const codes = [...outcome.values()]
  const details: Detail[] = []
  for (const code of new Set(codes)) {
    if (code === 200) continue
    details.push({ code, text: CODES[code].text, users: [...outcome].filter(([, c]) => c === code).map(([u]) => u) })
  }
  let top: Code
  if (codes.every((c) => c === 200)) top = 200
  else if (codes.some((c) => c === 200 || c === 202)) top = 201
  else top = new Set(codes).size === 1 ? codes[0] : 900
  return { code: top, text: CODES[top].text, ...(details.length ? { details } : {}) }
}

/** GetMessageList: what may be shown now, oldest first, whatever the session's delivery method */
export async function listMessages(core: Core, userId: string, limit: number): Promise<{ messages: StoredMessage[]; total: number }> {
  const all = await pendingFor(core, userId)
  return { messages: all.slice(0, limit), total: all.length }
}

/** GetMessage: one waiting message with its body (426 if none such may be shown) */
export async function getMessage(core: Core, userId: string, id: string): Promise<StoredMessage> {
  const [m, user] = await Promise.all([core.store.getMessage(userId, id), core.store.getUser(userId)])
  const reason = m && dropReason(user, m, core.clock.now())
  if (m && !reason) return m
  if (m && reason) await settle(core, m, reason).catch(() => {}) // retried on the next look if it fails
  throw noSuchMessage(id)
}

/** MessageDelivered: idempotent — a copy already confirmed (even before a restart) answers 200 again */
export async function messageDelivered(core: Core, userId: string, id: string): Promise<void> {
  await settleOnce(core, userId, id, 200)
}

/** RejectMessage: likewise idempotent */
export async function rejectMessage(core: Core, userId: string, id: string): Promise<void> {
  await settleOnce(core, userId, id, 538)
}

/**
 * Settles a copy as the recipient says, once. A copy that may no longer be shown (expired, or its sender since
 * blocked) ends that way instead, and the recipient hears 426 as GetMessage would answer: one outcome, told
 * alike to both sides.
 */
async function settleOnce(core: Core, userId: string, id: string, code: 200 | 538): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [m, user] = await Promise.all([core.store.getMessage(userId, id), core.store.getUser(userId)])
    const dropped = m && dropReason(user, m, core.clock.now())
    if (m && dropped) {
      await settle(core, m, dropped)
      break
    }
    if (m && (await settle(core, m, code))) return
    // gone already: fine if it went the same way (a repeat, or one running alongside)…
    const outcome = await core.store.settledOutcome(userId, id)
    if (outcome === code) return
    // …but if the one alongside failed, the message is back: try again
    if (outcome !== undefined || !(await core.store.getMessage(userId, id))) break
  }
  throw noSuchMessage(id)
}
