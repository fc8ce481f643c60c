import type { RelayedMessage, RelayedReport } from '../../core/relay/inbound.js'
import { REPORTABLE } from '../../core/relay/inbound.js'
import { MESSAGE_ID } from '../../core/messaging.js'
import { parseAddress, qualify } from '../../core/relay/address.js'
import type { RelayVerdict } from '../../core/relay/peer-link.js'
import { badParameter } from '../../core/refusals.js'
import { CODES } from '../../core/codes.js'
import type { FinalCode } from '../../core/reports.js'
import type { StoredMessage, StoredReport } from '../../core/types.js'
import { iso } from '../render.js'
import { type Json, optBool, optInt, str } from '../validate.js'

/**
 * The JSON of /relay/v1 (docs/PROTOCOL.md, "Relay"): addresses always whole (`alice@a.example`), times as
 * ISO 8601. Encoding turns the store's records into it; decoding checks every field and answers 402 naming
 * the first one that is wrong.
 */
/** more than a batch of ours holds (BATCH.messages), for a peer of a later version that sends larger ones */
export const MAX_BATCH = 500

export function encodeMessages(messages: StoredMessage[], ourDomain: string): Json {
  return {
    messages: messages.map((m) => ({
      id: m.id, from: qualify(m.sender, ourDomain), to: m.recipient, sentAt: iso(m.sentAt), contentType: m.contentType,
      body: m.body, validUntil: iso(m.validUntil), deliveryReport: m.deliveryReport,
    })),
  }
}

export function encodeReports(reports: StoredReport[], ourDomain: string): Json {
  return {
    reports: reports.map((r) => ({
      id: r.id, messageId: r.messageId, from: r.owner, to: qualify(r.recipient, ourDomain), code: r.code,
      ...(r.deliveredAt !== undefined ? { deliveredAt: iso(r.deliveredAt) } : {}),
    })),
  }
}

export function encodeVerdicts(verdicts: RelayVerdict[]): Json {
  return { verdicts: verdicts.map((v) => (v.accepted ? { accepted: true } : { accepted: false, code: v.code, text: CODES[v.code].text })) }
}

export function decodeMessages(o: Json, ourDomain: string): RelayedMessage[] {
  return entries(o, 'messages').map((e, i) => {
    const at = `messages[${i}]`
    return {
      id: id(e, 'id', at), sender: address(e, 'from', at, ourDomain), recipient: address(e, 'to', at, ourDomain),
      sentAt: time(e, 'sentAt', at), contentType: str(e, 'contentType', { max: 255 }), body: str(e, 'body', { max: 16 * 1024 * 1024 }),
      validUntil: time(e, 'validUntil', at), deliveryReport: optBool(e, 'deliveryReport') ?? false,
    }
  })
}

export function decodeReports(o: Json, ourDomain: string): RelayedReport[] {
  return entries(o, 'reports').map((e, i) => {
    const at = `reports[${i}]`
    const code = optInt(e, 'code', 100, 999)
    if (code === undefined || !REPORTABLE.has(code)) throw badParameter(`${at}.code must be one of ${[...REPORTABLE].join(', ')}`)
    const deliveredAt = e.deliveredAt === undefined ? undefined : time(e, 'deliveredAt', at)
    return {
      id: id(e, 'id', at), messageId: id(e, 'messageId', at), owner: address(e, 'from', at, ourDomain),
      recipient: address(e, 'to', at, ourDomain), code, ...(deliveredAt !== undefined ? { deliveredAt } : {}),
    }
  })
}

/** the peer's answer to a batch of messages: one verdict per message, in order */
export function decodeVerdicts(o: Json, count: number): RelayVerdict[] {
  const list = o.verdicts
  if (!Array.isArray(list) || list.length !== count) throw new Error(`the peer answered ${Array.isArray(list) ? list.length : 'no'} verdicts for ${count} messages`)
  return list.map((v: Json): RelayVerdict => {
    if (v?.accepted === true) return { accepted: true }
    if (v?.accepted === false && REPORTABLE.has(v.code as number) && v.code !== 200) return { accepted: false, code: v.code as FinalCode }
    throw new Error(`the peer answered a verdict this server does not understand: ${JSON.stringify(v).slice(0, 100)}`)
  })
}

function entries(o: Json, key: string): Json[] {
  const list = o[key]
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) throw badParameter(`"${key}" must be a list of 1 to ${MAX_BATCH} entries`)
  list.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw badParameter(`${key}[${i}] must be an object`)
  })
  return list as Json[]
}

function id(e: Json, key: string, at: string): string {
  const v = str(e, key, { max: 64 })
  if (!MESSAGE_ID.test(v)) throw badParameter(`${at}.${key} "${v}" is not a message id (1–64 letters, digits, _ or -)`)
  return v
}

function address(e: Json, key: string, at: string, ourDomain: string): string {
  const raw = str(e, key, { max: 320 })
  const parsed = parseAddress(raw, ourDomain)
  if (parsed === undefined) throw badParameter(`${at}.${key} "${raw.slice(0, 80)}" is not an address like alice@example.org`)
  return parsed
}

function time(e: Json, key: string, at: string): number {
  const ms = Date.parse(str(e, key, { max: 40 }))
  if (!Number.isFinite(ms)) throw badParameter(`${at}.${key} must be a time like 2026-12-02T10:00:00.000Z`)
  return ms
}
