/**
 * What this tab remembers, in sessionStorage (gone when the tab closes, never sent anywhere): the session token
 * and this session's conversations, so that a reload keeps both. Never a cookie, never localStorage.
 */
export type OutState = 'sending' | 'sent' | 'offline' | 'delivered' | 'rejected' | 'expired' | 'full' | 'blocked' | 'unknown' | 'queue' | 'failed' | 'lost'

export interface ChatMessage {
  /** the server's message id (a local one until the send is answered) */
  id: string
  peer: string
  out: boolean
  body: string
  /** ISO time: when it was sent */
  at: string
  /** incoming: it waited on the server while this user was offline */
  offline?: boolean
  /** incoming: shown to the user, and confirmed (MessageDelivered) */
  seen?: boolean
  /** outgoing: where it stands */
  state?: OutState
  /** outgoing: the server's words when the state alone does not say it */
  note?: string
}

const SESSION_KEY = 'pigeonhole.session'
const HISTORY_KEY = 'pigeonhole.history'
/** per conversation; the oldest go first */
const KEEP = 300

export interface SavedSession {
  token: string
  userId: string
}

export function loadSession(): SavedSession | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null')
    return typeof s?.token === 'string' && typeof s?.userId === 'string' ? s : undefined
  } catch {
    return undefined
  }
}

export function saveSession(s: SavedSession): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(s))
}

export function forget(): void {
  sessionStorage.removeItem(SESSION_KEY)
  sessionStorage.removeItem(HISTORY_KEY)
}

/** every conversation of this session, by peer, oldest message first */
export class History {
  readonly byPeer = new Map<string, ChatMessage[]>()

  static load(): History {
    const h = new History()
    try {
      const raw = JSON.parse(sessionStorage.getItem(HISTORY_KEY) ?? '{}') as Record<string, ChatMessage[]>
      for (const [peer, list] of Object.entries(raw)) {
        if (!Array.isArray(list)) continue
        // a send the page was reloaded in the middle of: its answer is lost with the old page
        for (const m of list) if (m.state === 'sending') m.state = 'lost'
        h.byPeer.set(peer, list)
      }
    } catch {}
    return h
  }

  save(): void {
    try {
      sessionStorage.setItem(HISTORY_KEY, JSON.stringify(Object.fromEntries(this.byPeer)))
    } catch {} // storage full: the conversation still shows; only a reload would lose it
  }

  of(peer: string): ChatMessage[] {
    return this.byPeer.get(peer) ?? []
  }

  find(id: string): ChatMessage | undefined {
    for (const list of this.byPeer.values()) for (const m of list) if (m.id === id) return m
    return undefined
  }

  add(m: ChatMessage): void {
    const list = this.byPeer.get(m.peer) ?? []
    list.push(m)
    if (list.length > KEEP) list.splice(0, list.length - KEEP)
    this.byPeer.set(m.peer, list)
    this.save()
  }

  unread(peer: string): number {
    return this.of(peer).filter((m) => !m.out && !m.seen).length
  }

  totalUnread(): number {
    let n = 0
    for (const peer of this.byPeer.keys()) n += this.unread(peer)
    return n
  }
}
