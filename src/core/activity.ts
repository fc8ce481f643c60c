import type { Log } from '../log.js'
import type { Clock } from './clock.js'

/** one line of the dashboard's "recent activity": a send, a settled copy, a login or logout */
export interface ActivityEntry {
  at: number
  kind: 'sent' | 'settled' | 'login' | 'logout' | 'purged' | 'user'
  /** who acted or whose mailbox it concerns */
  user: string
  text: string
  code?: number
}

const SETTLED_TEXT: Record<number, string> = {
  200: 'delivered', 410: 'refused (offline space full)', 532: 'dropped (sender blocked)', 538: 'rejected', 542: 'expired',
}

/**
 * A small bounded ring of recent events for the dashboard, fed from the structured log (the log already
 * names every send and every settled copy), so that no protocol code needs to know the dashboard exists.
 */
export class ActivityRing {
  readonly #entries: ActivityEntry[] = []
  constructor(private readonly clock: Clock, private readonly max = 200) {}

  /** wraps a log so that the events the dashboard shows are also remembered here */
  tap(log: Log): Log {
    return (tag, event, fields = {}) => {
      this.observe(tag, event, fields)
      log(tag, event, fields)
    }
  }

  observe(tag: string, event: string, f: Record<string, unknown>): void {
    const s = (v: unknown) => String(v ?? '?')
    if (tag === 'messages' && event === 'sent') {
      const stored = Number(f.stored ?? 0)
      const to = Number(f.to ?? 0)
      this.add({ kind: 'sent', user: s(f.from), text: `sent a message to ${to} recipient${to === 1 ? '' : 's'}, ${stored} accepted` })
    } else if (tag === 'messages' && event === 'settled') {
      const code = Number(f.code)
      this.add({ kind: 'settled', user: s(f.recipient), code, text: `message ${s(f.id).slice(0, 8)}… ${SETTLED_TEXT[code] ?? `settled (${code})`}` })
    } else if (tag === 'sessions' && (event === 'login' || event === 'logout' || event === 'forced_logout')) {
      this.add({ kind: event === 'login' ? 'login' : 'logout', user: s(f.user), text: event.replace('_', ' ') })
    } else if (tag === 'admin' && event === 'purged') {
      this.add({ kind: 'purged', user: s(f.user), text: `admin purged ${s(f.count)} message(s)` })
    } else if (tag === 'accounts' && event === 'user.created') {
      this.add({ kind: 'user', user: s(f.user), text: 'account created' })
    }
  }

  add(e: Omit<ActivityEntry, 'at'>): void {
    this.#entries.push({ at: this.clock.now(), ...e })
    if (this.#entries.length > this.max) this.#entries.shift()
  }

  /** newest first */
  recent(n = 20): ActivityEntry[] {
    return this.#entries.slice(-n).reverse()
  }
}
