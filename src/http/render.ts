import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type Code, type Result, httpStatus, result } from '../core/codes.js'
import type { PresenceView } from '../core/presence.js'
import type { ContactList, StoredMessage, StoredReport } from '../core/types.js'

export const iso = (ms: number) => new Date(ms).toISOString()

/** MessageInfo (PROTOCOL.md 3) */
export function messageInfo(m: StoredMessage) {
  return {
    id: m.id, sender: m.sender, recipient: m.recipient, sentAt: iso(m.sentAt), contentType: m.contentType,
    size: m.size, offline: m.offline, validUntil: iso(m.validUntil),
  }
}

export function messageWithBody(m: StoredMessage) {
  return { ...messageInfo(m), body: m.body }
}

export function deliveryReport(r: StoredReport) {
  return {
    id: r.id, messageId: r.messageId, recipient: r.recipient, result: { code: r.code, text: r.text },
    ...(r.deliveredAt !== undefined ? { deliveredAt: iso(r.deliveredAt) } : {}), at: iso(r.at),
  }
}

/** a user's presence as the viewer may see it; `lastSeen` is null when unknown or not visible */
export function presenceView(p: PresenceView) {
  return { ...p, lastSeen: p.lastSeen === undefined ? null : iso(p.lastSeen) }
}

export function contactList(l: ContactList) {
  return { name: l.name, displayName: l.displayName, default: l.isDefault, contacts: l.contacts }
}

/** a protocol answer: `{result, ...fields}` with the HTTP status the code maps to */
export function answer(c: Context, res: Result | Code, fields: Record<string, unknown> = {}): Response {
  const r = typeof res === 'number' ? result(res) : res
  return c.json({ result: r, ...fields }, httpStatus(r.code) as ContentfulStatusCode)
}

