import { storageFailure } from './storage-failure.js'
import { isBlocked } from './blocklist.js'
import { accepts } from './capabilities.js'
import { CODES, type Code, type Detail, ImpsError, type Result } from './codes.js'
import type { Core } from './context.js'
import { deliverNow, dropReason, pendingFor } from './delivery.js'
import { offlineQuotaRefusal } from './quotas.js'
import { settle } from './reports.js'
import type { Session } from './sessions.js'
import type { StoredMessage } from './types.js'

export interface SendRequest {
  to: string[]
  body: string
  contentType: string
  deliveryReport: boolean
  validity?: number
}

/** SendMessage: every copy that can be delivered or kept is stored durably, then handed to live streams. */
export async function sendMessage(core: Core, session: Session, req: SendRequest): Promise<{ result: Result; messageId?: string }> {
  const { config, store, clock } = core
  const size = Buffer.byteLength(req.body, 'utf8')
  if (size > config.maxBodyBytes) {
    throw new ImpsError(413, `Message too large: the body is ${size} bytes, the server takes at most ${config.maxBodyBytes}`)
  }
  const mainType = req.contentType.split(';')[0].trim().toLowerCase()
  if (!/^text\/[a-z0-9.+-]+$/.test(mainType)) {
    throw new ImpsError(415, `Unsupported media type: "${req.contentType}" is not accepted; send a text/* type such as text/plain`)
  }
  const sender = store.getUser(session.userId)!
  const now = clock.now()
  const validity = Math.min(req.validity ?? config.validityDefaultSeconds, config.validityMaxSeconds)
  const id = core.ids.id()
  const outcome = new Map<string, Code>()
  const copies: StoredMessage[] = []
  let queuedOffline = 0
  // from here to addMessages nothing awaits: the quota checks and the counting are one step
  for (const to of req.to) {
    const recipient = store.getUser(to)
    let code: Code
    if (!recipient) code = 531
    else if (isBlocked(recipient, sender.id)) code = 532
    else if (core.sessions.online(to)) code = onlineRefusal(core, to, req.contentType, size) ?? 200
    else if (!session.capabilities.offlineMessaging || !config.offline) code = 533
    else code = offlineQuotaRefusal(config, store, sender, recipient, size, queuedOffline) ?? 202
    if (code === 202) queuedOffline++
    outcome.set(to, code)
    if (code === 200 || code === 202) {
      copies.push({
        id, sender: sender.id, recipient: to, sentAt: now, contentType: req.contentType, body: req.body, size,
        offline: code === 202, validUntil: now + validity * 1000, deliveryReport: req.deliveryReport,
      })
    }
  }
  if (copies.length) {
    try {
      await store.addMessages(copies)
    } catch (err) {
      throw storageFailure(core, err)
    }
    deliverNow(core, copies)
  }
  core.log('messages', 'sent', { id, from: sender.id, to: req.to.length, stored: copies.length })
  return { result: aggregate(outcome), ...(copies.length ? { messageId: id } : {}) }
}

/** 415/413 when every live session of an online recipient refuses the type or the size */
function onlineRefusal(core: Core, userId: string, contentType: string, size: number): Code | undefined {
  const verdicts = core.sessions.ofUser(userId).map((s) => accepts(s.capabilities, contentType, size))
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

export async function listMessages(core: Core, userId: string, limit: number): Promise<{ messages: StoredMessage[]; total: number }> {
  const all = await pendingFor(core, userId)
  return { messages: all.slice(0, limit), total: all.length }
}

export async function getMessage(core: Core, userId: string, id: string): Promise<StoredMessage> {
  const m = await core.store.getMessage(userId, id)
  const reason = m && dropReason(core.store.getUser(userId), m, core.clock.now())
  if (m && !reason) return m
  if (m && reason) await settle(core, m, reason).catch(() => {}) // retried on the next look if it fails
  throw new ImpsError(426, `Invalid message id: no message "${id.slice(0, 64)}" waits for you`)
}

/** MessageDelivered: idempotent — a copy already confirmed (or being confirmed) answers 200 again */
export async function messageDelivered(core: Core, userId: string, id: string): Promise<void> {
  await settleOnce(core, userId, id, 200)
}

/** RejectMessage: likewise idempotent */
export async function rejectMessage(core: Core, userId: string, id: string): Promise<void> {
  await settleOnce(core, userId, id, 538)
}

async function settleOnce(core: Core, userId: string, id: string, code: 200 | 538): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const m = await core.store.getMessage(userId, id)
    if (m && (await settle(core, m, code))) return
    // gone already: fine if it went the same way (a repeat, or one running alongside)…
    const outcome = await core.settled.outcome(userId, id)
    if (outcome === code) return
    // …but if the one alongside failed, the message is back: try again
    if (outcome !== undefined || !(await core.store.getMessage(userId, id))) break
  }
  throw new ImpsError(426, `Invalid message id: no message "${id.slice(0, 64)}" waits for you`)
}
