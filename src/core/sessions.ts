import type { Config } from '../config.js'
import { invalidSession, sessionExpired } from './refusals.js'
import type { Clock, Ids } from './clock.js'
import { NO_PEERS, type PeerSessions, type SessionClaim } from './peers.js'
import type { Capabilities } from './types.js'

export interface Session {
  id: string
  token: string
  userId: string
  clientId: string | undefined
  ttlSeconds: number
  createdAt: number
  /** last request, or the moment its last hold went away */
  lastSeen: number
  /** what holds it alive besides requests (open event streams, bound wake-up channels): while any, it cannot time out */
  holds: number
  capabilities: Capabilities
  /** which door it came through ("json", "wv-csp", …), for the dashboard and the metrics */
  door: string
  /** whose presence this session subscribed to: users, and its user's own lists by name */
  watching: { users: Set<string>; lists: Set<string> }
}

/**
 * The live sessions, in memory (a restart logs everyone out; their messages wait on disk). A session dies at
 * logout, or once `ttlSeconds` pass with no request and nothing holding it; its token then answers 600.
 * `onExpired` hears of each session that timed out, whenever that is noticed.
 */
export class SessionTable {
  readonly #byToken = new Map<string, Session>()
  readonly #byUser = new Map<string, Set<Session>>()
  /** tokens of sessions that timed out, so that they answer 600 rather than 604 (bounded) */
  readonly #expired = new Map<string, number>()
  readonly #lastSeen = new Map<string, number>()
  /** the sessions other nodes hold, when several share one store: a user online there is online here too */
  peers: PeerSessions = NO_PEERS

  constructor(
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly onExpired: (s: Session) => void = () => {},
  ) {}

  create(userId: string, ttlSeconds: number, capabilities: Capabilities, clientId?: string, door = 'json'): Session {
    const now = this.clock.now()
    return this.#add({
      id: this.ids.id(), token: this.ids.token(), userId, clientId, ttlSeconds,
      createdAt: now, lastSeen: now, holds: 0, capabilities, door,
      watching: { users: new Set(), lists: new Set() },
    })
  }

  #add(session: Session): Session {
    this.#byToken.set(session.token, session)
    let set = this.#byUser.get(session.userId)
    if (!set) this.#byUser.set(session.userId, (set = new Set()))
    set.add(session)
    this.#lastSeen.set(session.userId, session.lastSeen)
    return session
  }

  /** this node's copy of a session with this id (one ended on another node is ended here too) */
  byId(id: string): Session | undefined {
    return [...this.#byToken.values()].find((s) => s.id === id)
  }

  /** the live session a token names, marked as seen now; 600 if it timed out, 604 if unknown */
  authenticate(token: string | undefined): Session {
    const session = token ? this.#byToken.get(token) : undefined
    if (session && this.#alive(session)) {
      this.touch(session)
      return session
    }
    if (session) this.#expire(session)
    if (token && this.#expired.has(token)) throw sessionExpired()
    throw invalidSession()
  }

  /**
   * The session a token names, taken up from another node when this one does not know it (several nodes share
   * one store, and a client need not come back to the node it logged in on); otherwise as `authenticate`.
   */
  async authenticateAnywhere(token: string | undefined): Promise<Session> {
    try {
      return this.authenticate(token)
    } catch (err) {
      const claim = token && this.peers.claim ? await this.peers.claim(token) : undefined
      if (!claim) throw err
      const session = this.#adopt(token!, claim)
      this.peers.adopted?.(session)
      return session
    }
  }

  #adopt(token: string, claim: SessionClaim): Session {
    const session = this.#byToken.get(token) ?? this.#add({
      id: claim.id, token, userId: claim.userId, clientId: claim.clientId, ttlSeconds: claim.ttlSeconds, createdAt: claim.createdAt,
      lastSeen: this.clock.now(), holds: 0, capabilities: claim.capabilities, door: claim.door,
      watching: { users: new Set(claim.watching.users), lists: new Set(claim.watching.lists) },
    })
    this.#expired.delete(token)
    this.touch(session)
    return session
  }

  /** the session was heard from now, or at `at` (never earlier than its last request) */
  touch(session: Session, at?: number): void {
    session.lastSeen = at === undefined ? this.clock.now() : Math.max(session.lastSeen, at)
    this.#lastSeen.set(session.userId, session.lastSeen)
  }

  /** ends a session (logout, forced logout); its token then answers 604 */
  end(session: Session): void {
    this.#remove(session)
  }

  /** the user's live sessions */
  ofUser(userId: string): Session[] {
    const set = this.#byUser.get(userId)
    if (!set) return []
    const alive: Session[] = []
    for (const s of [...set]) {
      if (this.#alive(s)) alive.push(s)
      else this.#expire(s)
    }
    return alive
  }

  /** logged in on this node or on another sharing the store */
  online(userId: string): boolean {
    return this.ofUser(userId).length > 0 || this.peers.ofUser(userId).length > 0
  }

  /** what each of the user's live sessions, on any node, accepts (a send to them is judged against these) */
  capabilitiesOf(userId: string): Capabilities[] {
    return [...this.ofUser(userId), ...this.peers.ofUser(userId)].map((s) => s.capabilities)
  }

  lastSeen(userId: string): number | undefined {
    const live = this.ofUser(userId)
    const elsewhere = this.peers.ofUser(userId)
    if (live.some((s) => s.holds > 0) || elsewhere.some((s) => s.held)) return this.clock.now()
    const seen = [this.#lastSeen.get(userId), this.peers.lastSeen(userId), ...elsewhere.map((s) => s.lastSeen)].filter((t) => t !== undefined)
    return seen.length ? Math.max(...seen) : undefined
  }

  /** ends every session that timed out; returns them */
  sweep(): Session[] {
    const dead = [...this.#byToken.values()].filter((s) => !this.#alive(s))
    for (const s of dead) this.#expire(s)
    return dead
  }

  all(): Session[] {
    return [...this.#byToken.values()].filter((s) => this.#alive(s))
  }

  #alive(s: Session): boolean {
    return s.holds > 0 || this.clock.now() - s.lastSeen < s.ttlSeconds * 1000
  }

  #expire(s: Session): void {
    if (!this.#byToken.has(s.token)) return
    this.#remove(s)
    this.#expired.set(s.token, this.clock.now())
    if (this.#expired.size > 10_000) this.#expired.delete(this.#expired.keys().next().value!)
    this.onExpired(s)
  }

  #remove(s: Session): void {
    this.#byToken.delete(s.token)
    const set = this.#byUser.get(s.userId)
    set?.delete(s)
    if (set?.size === 0) this.#byUser.delete(s.userId)
  }
}

/** clamps a requested time-to-live; `accepted` is false when the request was out of bounds */
export function clampTtl(config: Config, requested: number | undefined): { ttl: number; accepted: boolean } {
  if (requested === undefined) return { ttl: config.sessionTtlSeconds, accepted: true }
  const ttl = Math.min(config.sessionTtlMaxSeconds, Math.max(config.sessionTtlMinSeconds, requested))
  return { ttl, accepted: ttl === requested }
}
