/** The records the core and the store share. Times are epoch milliseconds; the HTTP layer renders ISO strings. */

export interface StoredMessage {
  id: string
  sender: string
  recipient: string
  sentAt: number
  contentType: string
  body: string
  /** UTF-8 bytes of body */
  size: number
  /** stored because the recipient was not logged in when it was sent */
  offline: boolean
  validUntil: number
  deliveryReport: boolean
}

export interface StoredReport {
  id: string
  /** the sender who asked for the report, and whose report box holds it */
  owner: string
  messageId: string
  recipient: string
  code: number
  text: string
  deliveredAt?: number
  at: number
}

export interface AccessList {
  inUse: boolean
  users: string[]
}

export interface QuotaOverrides {
  inboxMaxMessages?: number
  inboxMaxBytes?: number
  outboxMaxMessages?: number
}

export interface UserRecord {
  id: string
  passwordHash: string
  createdAt: number
  disabled: boolean
  quotas: QuotaOverrides
  block: AccessList
  grant: AccessList
  /** the user's contact lists (absent in records of earlier versions: none yet) */
  lists?: ContactList[]
}

export interface ContactList {
  /** the list's id within its owner: `wv:<owner>/<name>@<domain>` in WV-CSP */
  name: string
  displayName: string
  isDefault: boolean
  contacts: Contact[]
}

export interface Contact {
  userId: string
  nickname: string
}

/** PROTOCOL.md 8: AVAILABLE, DISCREET (busy), NOT_AVAILABLE (away) */
export type Availability = 'AVAILABLE' | 'DISCREET' | 'NOT_AVAILABLE'

/** what a user publishes about themselves; `online` is never published, the server derives it */
export interface PublishedPresence {
  availability: Availability
  statusText: string
  clientType: string
}

export interface InboxUsage {
  messages: number
  bytes: number
}

export type DeliveryMethod = 'push' | 'notify' | 'pull'

export interface Capabilities {
  offlineMessaging: boolean
  deliveryMethod: DeliveryMethod
  acceptedContentTypes: string[]
  acceptedContentLength: number
}
