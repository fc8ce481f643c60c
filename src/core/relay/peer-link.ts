import type { StoredMessage, StoredReport } from '../types.js'
import type { FinalCode } from '../reports.js'

/** the peer's answer on one message: it stored it durably (and de-duplicated it), or refused it with a final code */
export type RelayVerdict = { accepted: true } | { accepted: false; code: FinalCode }

/**
 * How the core reaches one peer (the relay door implements it over signed HTTP). Each call resolves only once
 * the peer answered, and rejects when it could not be reached or refused the request as a whole.
 */
export interface PeerLink {
  /** messages whose senders are ours and recipients the peer's, as the store keeps them (local ids unqualified) */
  sendMessages(messages: StoredMessage[]): Promise<RelayVerdict[]> // one per message, in order
  /** reports filed here for the peer's users (owners), about copies its users sent to ours */
  sendReports(reports: StoredReport[]): Promise<void>
}

/**
 * The peer refused a request for what it carries (HTTP 400, 413 or 415: a message it cannot take), not for who
 * sent it or when: retrying the same batch would fail forever, so the queue splits it to find the message.
 */
export class BatchRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}
