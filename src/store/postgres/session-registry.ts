import { createHash } from 'node:crypto'
import type { Pool } from 'pg'
import type { PeerSession, PeerSessions, SessionClaim, SessionSettings, Watching } from '../../core/peers.js'
import type { Session } from '../../core/sessions.js'
import type { Capabilities, PublishedPresence } from '../../core/types.js'
import { unreachable, withTimeout } from './db.js'
import { CHANNEL, usersHint } from './hints.js'
import { EndedSessions } from './ended-sessions.js'
import { type Mirrored, PeerMirror } from './peer-mirror.js'

/** what a sessions row keeps of a session, beside its id, user, node and expiry */
export interface SessionRecord {
  door: string
  clientId: string | undefined
  capabilities: Capabilities
  ttlSeconds: number
  createdAt: number
  lastSeen: number
  held: boolean
  watching: Watching
}

/** a token as the database keeps it: a leaked table hands nobody a session */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url')

const PEERS_SQL = `
  SELECT s.id, s.user_id, s.node, s.record, p.record AS published,
         extract(epoch FROM least(s.expires_at, n.expires_at) - now()) * 1000 AS remaining_ms
  FROM sessions s JOIN nodes n ON n.id = s.node LEFT JOIN presence p ON p.user_id = s.user_id
  WHERE s.node <> $1 AND s.expires_at > now() AND n.expires_at > now()`

/**
 * The `sessions` table (PROTOCOL.md 11): this node's sessions written to it, the other nodes' read from it into
 * a mirror that answers synchronously (a send asks whether its recipient is online), refreshed on hints and on
 * every heartbeat. A row lives until its session's time-to-live runs out or its node stops renewing (a node
 * that died): then every other node reads the session as gone, without anyone deleting it first.
 */
export class SessionRegistry implements PeerSessions {
  readonly #mirror = new PeerMirror()
  /** each session's write in flight, so that the next waits for it */
  readonly #writing = new Map<string, Promise<void>>()
  readonly #ended = new EndedSessions()
  /** set by whoever runs the registry: records a session this node took up from another */
  adopted: (session: Session) => void = () => {}

  constructor(
    private readonly pool: Pool,
    readonly node: string,
    private readonly heartbeatSeconds: number,
  ) {}

  ofUser(userId: string): PeerSession[] {
    return this.#mirror.ofUser(userId)
  }

  all(): PeerSession[] {
    return this.#mirror.all()
  }

  lastSeen(userId: string): number | undefined {
    return this.#mirror.lastSeen(userId)
  }

  /**
   * Records one of this node's sessions and hints the others: that it `started` (a login, not one taken up from
   * another node), or that its presence subscriptions changed (`watching`), for the nodes holding a copy.
   */
  record(session: Session, now: number, change: { started?: boolean; watching?: boolean }): Promise<void> {
    this.#ended.revived(session.id)
    return this.#inTurn(session.id, () => this.pool.query(
      `WITH kept AS (
         INSERT INTO sessions (id, token_hash, user_id, node, record, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))
         ON CONFLICT (id, node) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at)
       SELECT pg_notify($7, $8)`,
      [session.id, tokenHash(session.token), session.userId, this.node, JSON.stringify(recordOf(session)), this.#secondsLeft(session, now),
        CHANNEL, usersHint([session.userId], this.node, { started: change.started ? [session.id] : [], watching: change.watching ? [session.id] : [] })],
    ))
  }

  /**
   * A session ended: its row here goes, and the others hear of it. Ended for good (`endedWith` 200 logout, 601
   * forced out), every node's row goes too, and every node ends its copy; timed out here (no `endedWith`), it
   * may still live on a node its client now talks to.
   */
  forget(sessionId: string, userId: string, endedWith?: number): Promise<void> {
    const everywhere = endedWith !== undefined
    this.#ended.ended(sessionId, userId, endedWith)
    const written = this.#inTurn(sessionId, () => this.pool.query(
      'WITH gone AS (DELETE FROM sessions WHERE id = $1 AND ($2 OR node = $3)) SELECT pg_notify($4, $5)',
      [sessionId, everywhere, this.node, CHANNEL, usersHint([userId], this.node, { ended: everywhere ? [[sessionId, endedWith]] : [] })],
    ))
    written.then(() => this.#ended.settled(sessionId), () => this.#ended.failed(sessionId))
    return written
  }

  /**
   * Resolves once the writes asked for this session so far are done, or failed (the heartbeat writes it again),
   * or after `atMostMs` (a login is not held up for long by a slow database).
   */
  written(sessionId: string, atMostMs = 2_000): Promise<void> {
    const writing = this.#writing.get(sessionId)
    return writing ? withTimeout(writing, atMostMs, 'the record is late').catch(() => {}) : Promise.resolve()
  }

  /**
   * Runs one session's writes in the order they were asked for: a login's row written after its logout's delete
   * (two pooled connections, either may finish first) would show the session online elsewhere until it ran out.
   */
  #inTurn(key: string, write: () => Promise<unknown>): Promise<void> {
    const previous = this.#writing.get(key) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(write).then(() => {})
    this.#writing.set(key, next)
    const done = () => {
      if (this.#writing.get(key) === next) this.#writing.delete(key)
    }
    next.then(done, done)
    return next
  }

  /** ends a session another node holds (the account was disabled here), on every node (a lost database answers 503) */
  async end(session: PeerSession, code: number): Promise<void> {
    try {
      await this.forget(session.id, session.userId, code)
    } catch (err) {
      throw unreachable(err)
    }
  }

  /** the live session another node holds under this token (a lost database answers 503) */
  async claim(token: string): Promise<SessionClaim | undefined> {
    try {
      const { rows: [r] } = await this.pool.query(
        `SELECT s.id, s.user_id, s.record FROM sessions s JOIN nodes n ON n.id = s.node
         WHERE s.token_hash = $1 AND s.node <> $2 AND s.expires_at > now() AND n.expires_at > now() LIMIT 1`,
        [tokenHash(token), this.node],
      )
      if (!r) return undefined
      const rec = r.record as SessionRecord
      return {
        id: r.id, userId: r.user_id, clientId: rec.clientId ?? undefined, ttlSeconds: rec.ttlSeconds, createdAt: rec.createdAt,
        capabilities: rec.capabilities, door: rec.door, watching: rec.watching ?? { users: [], lists: [] },
      }
    } catch (err) {
      throw unreachable(err)
    }
  }

  /** a user published presence here: kept for the other nodes, which hear of it */
  publish(userId: string, published: PublishedPresence): Promise<void> {
    return this.#inTurn(`presence ${userId}`, () => this.pool.query(
      `WITH kept AS (INSERT INTO presence (user_id, record) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET record = EXCLUDED.record)
       SELECT pg_notify($3, $4)`,
      [userId, JSON.stringify(published), CHANNEL, usersHint([userId], this.node)],
    ))
  }

  /**
   * Renews this node and every session it holds (rows written while the database was away come back, rows of
   * sessions that ended meanwhile go), and clears out rows nobody renews any more. Returns the users whose
   * sessions here were dropped, for a hint.
   */
  async heartbeat(sessions: Session[], now: number): Promise<string[]> {
    // rows of sessions that ended here go, even if `sessions` was read before they ended; others are left alone
    const { beat, ids: ended } = this.#ended.beat()
    const { rows } = await this.pool.query(
      `WITH alive AS (
         INSERT INTO nodes (id, expires_at) VALUES ($1, now() + make_interval(secs => $2))
         ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at),
       kept AS (
         INSERT INTO sessions (id, token_hash, user_id, node, record, expires_at)
         SELECT id, t, u, $1, r, now() + make_interval(secs => e)
         FROM unnest($3::text[], $4::text[], $5::text[], $6::jsonb[], $7::float8[]) AS x(id, t, u, r, e)
         WHERE NOT (x.id = ANY($8))
         ON CONFLICT (id, node) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at),
       dropped AS (DELETE FROM sessions WHERE node = $1 AND id = ANY($8) RETURNING user_id)
       SELECT DISTINCT user_id FROM dropped`,
      [this.node, 3 * this.heartbeatSeconds, sessions.map((s) => s.id), sessions.map((s) => tokenHash(s.token)), sessions.map((s) => s.userId),
        sessions.map((s) => JSON.stringify(recordOf(s))), sessions.map((s) => this.#secondsLeft(s, now)), ended],
    )
    // a logout whose delete failed is asked again whole: every node's row, and the hint that ends their copies
    for (const e of this.#ended.after(beat)) this.forget(e.id, e.userId, e.endedWith).catch(() => {})
    await this.pool.query(
      `DELETE FROM sessions s WHERE s.expires_at < now()
         OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = s.node AND n.expires_at > now())`,
    )
    await this.pool.query("DELETE FROM nodes WHERE expires_at < now() - interval '1 day'")
    return rows.map((r) => r.user_id)
  }

  /** a session's settings as the node named keeps them (undefined when it keeps no such session) */
  async settingsOf(sessionId: string, node: string): Promise<SessionSettings | undefined> {
    const { rows: [r] } = await this.pool.query('SELECT record FROM sessions WHERE id = $1 AND node = $2', [sessionId, node])
    if (!r) return undefined
    const rec = r.record as SessionRecord
    return { watching: rec.watching ?? { users: [], lists: [] }, capabilities: rec.capabilities, ttlSeconds: rec.ttlSeconds }
  }

  /** whether a node of this name renewed itself lately: another one runs under the same name, or this one restarted at once */
  async nameInUse(): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM nodes WHERE id = $1 AND expires_at > now()', [this.node])
    return rows.length > 0
  }

  /** this node starts afresh (a restart logs its sessions out): rows it left behind go; returns their users */
  async leaveBehindNothing(): Promise<string[]> {
    const { rows } = await this.pool.query('DELETE FROM sessions WHERE node = $1 RETURNING user_id', [this.node])
    return [...new Set(rows.map((r) => r.user_id as string))]
  }

  /** this node stops: its sessions go offline everywhere at once, rather than when their rows run out */
  async leave(): Promise<void> {
    const users = await this.leaveBehindNothing()
    await this.pool.query('DELETE FROM nodes WHERE id = $1', [this.node])
    await this.announce(users)
  }

  /** tells the other nodes that these users' sessions changed (they re-read who is online) */
  async announce(users: string[]): Promise<void> {
    if (users.length) await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, usersHint(users, this.node)])
  }

  /**
   * Re-reads the other nodes' sessions, of some users or of all, with what those users published. Returns who
   * came online or went offline elsewhere since the last look, and the published presence read.
   */
  async refresh(now: number, users?: string[]): Promise<{ changed: string[]; published: Map<string, PublishedPresence> }> {
    const { rows } = users
      ? await this.pool.query(`${PEERS_SQL} AND s.user_id = ANY($2)`, [this.node, users])
      : await this.pool.query(PEERS_SQL, [this.node])
    const at = performance.now()
    const sessions: Mirrored[] = []
    const published = new Map<string, PublishedPresence>()
    for (const r of rows) {
      const rec = r.record as SessionRecord
      sessions.push({
        id: r.id, userId: r.user_id, node: r.node, capabilities: rec.capabilities, door: rec.door, clientId: rec.clientId ?? undefined,
        lastSeen: rec.lastSeen, held: rec.held, until: at + Number(r.remaining_ms),
      })
      if (r.published) published.set(r.user_id, r.published)
    }
    return { changed: this.#mirror.update(sessions, now, users), published }
  }

  /** how long a session's row should stand: its time-to-live from its last request, or from now while held, plus a heartbeat's grace */
  #secondsLeft(s: Session, now: number): number {
    const ttl = s.ttlSeconds
    const left = s.holds > 0 ? ttl : Math.max(0, (s.lastSeen + ttl * 1000 - now) / 1000)
    return left + this.heartbeatSeconds
  }
}

function recordOf(s: Session): SessionRecord {
  return {
    door: s.door, clientId: s.clientId, capabilities: s.capabilities, ttlSeconds: s.ttlSeconds,
    createdAt: s.createdAt, lastSeen: s.lastSeen, held: s.holds > 0,
    watching: { users: [...s.watching.users], lists: [...s.watching.lists] },
  }
}
