import type { CoreEvent } from './bus.js'
import type { Clock } from './clock.js'
import { CODES, type Code } from './codes.js'

/** one line of the dashboard's "recent activity": a send, a settled copy, a login or logout */
export interface ActivityEntry {
  at: number
  kind: 'sent' | 'settled' | 'login' | 'logout' | 'purged' | 'user' | 'lockout' | 'relayed' | 'report'
  /** who acted or whose mailbox it concerns */
  user: string
  text: string
  code?: number
}

const SETTLED_TEXT: Record<number, string> = {
  200: 'delivered', 410: 'refused (offline space full)', 413: 'refused (too large)', 415: 'refused (type not accepted)',
  531: 'refused (unknown user)', 532: 'dropped (sender blocked)', 533: 'refused (not logged in; no offline messaging)', 538: 'rejected', 542: 'expired',
}
const LOGOUT_TEXT: Record<number, string> = { 200: 'logout', 601: 'forced logout', 600: 'session expired', 503: 'disconnected (server stopping)' }

/**
 * A small bounded ring of recent events for the dashboard, fed from the bus: no protocol code knows it exists.
 * Events are kept as they came and worded only when the dashboard asks: a busy server sends far more often
 * than anyone looks.
 */
export class ActivityRing {
  readonly #events: Array<{ at: number; e: CoreEvent }> = []
  constructor(private readonly clock: Clock, private readonly max = 200) {}

  observe(e: CoreEvent): void {
    if (!SHOWN.has(e.type)) return
    this.#events.push({ at: this.clock.now(), e })
    if (this.#events.length > this.max) this.#events.shift()
  }

  /** newest first */
  recent(n = 20): ActivityEntry[] {
    return this.#events.slice(-n).reverse().map(({ at, e }) => ({ at, ...describe(e)! }))
  }
}

const SHOWN = new Set<CoreEvent['type']>(['MessageSent', 'MessageSettled', 'MessageRelayed', 'ReportArrived', 'SessionStarted', 'SessionEnded', 'MailboxPurged', 'UserCreated', 'LoginLockedOut'])

function describe(e: CoreEvent): Omit<ActivityEntry, 'at'> | undefined {
  switch (e.type) {
    case 'MessageSent': {
      const stored = e.outcomes.filter(([, c]) => c === 200 || c === 202).length
      const refused = e.outcomes.filter(([, c]) => c !== 200 && c !== 202).map(([u, c]) => `${u}: ${c} ${CODES[c as Code].text}`)
      const n = e.outcomes.length
      const text = `sent a message to ${n} recipient${n === 1 ? '' : 's'}, ${stored} accepted${refused.length ? `; refused ${refused.join(', ')}` : ''}`
      return { kind: 'sent', user: e.sender, text, ...(refused.length ? { code: e.outcomes.find(([, c]) => c !== 200 && c !== 202)![1] } : {}) }
    }
    case 'MessageSettled':
      return { kind: 'settled', user: e.message.recipient, code: e.code, text: `message ${e.message.id.slice(0, 8)}… ${SETTLED_TEXT[e.code] ?? `settled (${e.code})`}` }
    case 'MessageRelayed':
      return { kind: 'relayed', user: e.message.sender, text: `message ${e.message.id.slice(0, 8)}… to ${e.message.recipient} handed to ${e.domain}` }
    case 'ReportArrived':
      return { kind: 'report', user: e.report.owner, code: e.report.code, text: `${e.domain} reports message ${e.report.messageId.slice(0, 8)}… to ${e.report.recipient} ${SETTLED_TEXT[e.report.code] ?? `settled (${e.report.code})`}` }
    case 'SessionStarted':
      return { kind: 'login', user: e.userId, text: 'login' }
    case 'SessionEnded':
      return { kind: 'logout', user: e.userId, code: e.result.code, text: LOGOUT_TEXT[e.result.code] ?? `session ended (${e.result.code})` }
    case 'MailboxPurged':
      return { kind: 'purged', user: e.userId, text: `admin purged ${e.count} message(s)` }
    case 'UserCreated':
      return { kind: 'user', user: e.userId, text: 'account created' }
    case 'LoginLockedOut':
      return { kind: 'lockout', user: e.userId, code: 429, text: `locked out after failed logins (last from ${e.address}); the owner can still log in from another address` }
    default:
      return undefined
  }
}
