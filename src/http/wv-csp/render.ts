import type { Delivery } from '../../core/hub.js'
import type { PresenceView } from '../../core/presence.js'
import type { StoredMessage, StoredReport } from '../../core/types.js'
import type { Ids } from './ids.js'
import { resultEl, wvResult } from './results.js'
import type { Namespaces } from './version.js'
import { e, type El } from './xml/tree.js'

/** `20070625T055652Z`: DateTime is always written as a string (no phone decodes the OPAQUE form) */
export function dateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')
}

const user = (ids: Ids, id: string) => e('User', [e('UserID', ids.writeUser(id))])

/** MessageInfo in the DTD's order; DateTime is the original send time, so an offline message shows when it was sent */
export function messageInfo(ids: Ids, m: StoredMessage, now: number): El {
  return e('MessageInfo', [
    e('MessageID', m.id),
    e('ContentType', m.contentType),
    e('ContentSize', m.size),
    e('Recipient', [user(ids, m.recipient)]),
    e('Sender', [user(ids, m.sender)]),
    e('DateTime', dateTime(m.sentAt)),
    e('Validity', Math.max(0, Math.ceil((m.validUntil - now) / 1000))),
  ])
}

const CLIENT_TYPES = new Set(['MOBILE_PHONE', 'COMPUTER', 'PDA', 'CLI', 'OTHER'])
const attr = (name: string, value: string | boolean) => e(name, [e('Qualifier', true), e('PresenceValue', value)])

/** `Presence(UserID, PresenceSubList)`: OnlineStatus comes from sessions, every attribute with Qualifier T */
export function presence(ids: Ids, ns: Namespaces, p: PresenceView): El {
  const clientType = p.clientType?.toUpperCase()
  return e('Presence', [
    e('UserID', ids.writeUser(p.userId)),
    e('PresenceSubList', [
      attr('OnlineStatus', p.online),
      attr('UserAvailability', p.online ? (p.availability ?? 'AVAILABLE') : 'NOT_AVAILABLE'),
      p.online && p.statusText ? attr('StatusText', p.statusText) : undefined,
      p.online && clientType && CLIENT_TYPES.has(clientType) ? e('ClientInfo', [e('Qualifier', true), e('ClientType', clientType)]) : undefined,
    ], ns.pa),
  ])
}

/** a report's MessageInfo names the original message and its original recipient */
function reportRequest(ids: Ids, r: StoredReport): El {
  return e('DeliveryReport-Request', [
    resultEl(wvResult(r.code, r.text)),
    r.deliveredAt !== undefined ? e('DeliveryTime', dateTime(r.deliveredAt)) : undefined,
    e('MessageInfo', [e('MessageID', r.messageId), e('Recipient', [user(ids, r.recipient)]), e('Sender', [user(ids, r.owner)])]),
  ])
}

/** a server-initiated primitive for one delivery */
export function deliveryPrimitive(ids: Ids, ns: Namespaces, d: Delivery, now: number): El {
  switch (d.type) {
    case 'NewMessage':
      return e('NewMessage', [messageInfo(ids, d.message, now), e('ContentData', d.message.body)])
    case 'MessageNotification':
      return e('MessageNotification', [messageInfo(ids, d.messages[0], now)])
    case 'DeliveryReport':
      return reportRequest(ids, d.report)
    case 'PresenceNotification':
      return e('PresenceNotification-Request', d.presence.map((p) => presence(ids, ns, p)))
    case 'Disconnect':
      return e('Disconnect', [resultEl(wvResult(d.result.code, d.result.text))])
  }
}
