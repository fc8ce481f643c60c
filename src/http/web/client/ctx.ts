import type { Api } from './api.js'
import type { ContactsPane } from './contacts.js'
import type { Conversation } from './conversation.js'
import type { History } from './history.js'

/** what the parts of a logged-in page share; one per session (a new login builds a new one) */
export interface Ctx {
  api: Api
  history: History
  me: string
  contacts: ContactsPane
  conversation: Conversation
  /** whether this context is still the page's (a logout or a new login makes it stale) */
  live(): boolean
  /** redraws what depends on contacts, presence and unread counts */
  refresh(): void
  /** opens the conversation with a peer */
  open(peer: string): void
  /** a short notice, read out by screen readers */
  toast(text: string): void
}
