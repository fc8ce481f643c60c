import type pg from 'pg'
import type { StoredMessage, StoredReport, UserRecord } from '../../core/types.js'
import type { CopyVerdict, MailboxSummary, NewCopy, Settlement, Store, StoreStats, UserUsage } from '../store.js'
import { describeUrl, num, prepared, reason, timeouts, transaction, unreachable } from './db.js'
import { DatabaseError } from './errors.js'
import { CHANNEL, reportHint, usersHint } from './hints.js'
import { UserCache } from './user-cache.js'
import { migrate } from './schema.js'
import { Batcher, fulfilled } from './batcher.js'
import { addCopies } from './send.js'
import { PostgresAdminSessions, PostgresFailureLog } from './shared-state.js'
import type { SharedState } from '../../core/ports.js'
import { settle } from './settle.js'
import { AdvisoryLocks } from './advisory-lock.js'

export const DEFAULT_TIMEOUT_MS = 5_000

export interface PostgresStoreOptions {
  /** connections this node keeps (PIGEONHOLE_DATABASE_POOL) */
  poolSize?: number
  /** the node this store serves, named in the hints it sends other nodes (so that it can ignore its own) */
  nodeId?: string
  /** how long one statement may run, or wait for a connection, before it fails as a 503 (PIGEONHOLE_DATABASE_TIMEOUT_MS); 0: no limit */
  statementTimeoutMs?: number
  log?: (event: string, fields: Record<string, unknown>) => void
}

/**
 * The Store port on PostgreSQL, for several nodes sharing one database (PROTOCOL.md 11): every write is one
 * transaction, committed before its promise resolves, and the checks that must hold across nodes (quotas, a
 * copy settled once) rest on row locks, not on anything held in this process.
 */
export class PostgresStore implements Store {
  #closed = false
  /** concurrent sends share one round trip and one commit (batcher.ts); so do concurrent reads of accounts */
  readonly #sends = new Batcher<NewCopy[], CopyVerdict[]>((sends) => this.#storeSends(sends))
  readonly #userReads = new Batcher<string, UserRecord | undefined>(async (ids) => fulfilled(await this.#readUsers(ids)))
  /** accounts read recently; on only while the node's LISTEN connection is up (cluster.ts turns it on) */
  readonly users = new UserCache()

  private constructor(
    readonly pool: pg.Pool,
    readonly log: NonNullable<PostgresStoreOptions['log']>,
    readonly nodeId: string | undefined,
    private readonly locks: AdvisoryLocks,
  ) {}

  /** connects, applies the schema steps this database lacks, and refuses one that is unreachable or newer */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const log = opts.log ?? (() => {})
    // loaded here, not at the top: a server on the embedded store never evaluates the client (3 MB idle)
    const { default: { Pool, Client } } = await import('pg')
    const limits = timeouts(opts.statementTimeoutMs ?? DEFAULT_TIMEOUT_MS)
    const pool = new Pool({ connectionString: url, max: opts.poolSize ?? 10, ...limits })
    // an idle connection the server dropped (restart, failover) is not a crash: the pool opens a new one when asked
    pool.on('error', (err) => log('connection_lost', { error: err.message }))
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (err) {
      await pool.end().catch(() => {})
      throw new DatabaseError(`cannot reach the database at ${describeUrl(url)}: ${reason(err)}; check PIGEONHOLE_DATABASE_URL and that PostgreSQL is running`)
    }
    try {
      await migrate(client)
    } catch (err) {
      client.release(true)
      await pool.end().catch(() => {})
      if (err instanceof DatabaseError) throw err
      throw new DatabaseError(`cannot prepare the database at ${describeUrl(url)}: ${reason(err)}`)
    }
    client.release()
    const locks = new AdvisoryLocks(async () => {
      // a lock query never waits for ever (a half-open connection would stop this node's relaying)
      const c = new Client({ connectionString: url, application_name: 'pigeonhole-locks', keepAlive: true, ...limits, query_timeout: limits.query_timeout ?? 10_000 })
      return c.connect().then(() => c)
    })
    return new PostgresStore(pool, log, opts.nodeId, locks)
  }

  /** failed logins and dashboard logins in this database, so that every node agrees on them */
  shared(): SharedState {
    const query = (sql: string, params: unknown[]) => this.#query(sql, params)
    return { failures: new PostgresFailureLog(query), adminSessions: new PostgresAdminSessions(query) }
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    this.#open()
    const cached = this.users.get(id)
    if (cached) return cached
    const readAt = this.users.generation
    const user = await this.#guard(this.#userReads.submit(id))
    if (user) this.users.keep(user, readAt)
    return user
  }

  async #readUsers(ids: string[]): Promise<Array<UserRecord | undefined>> {
    const { rows } = await this.pool.query(prepared('SELECT id, record FROM users WHERE id = ANY($1)', [ids]))
    const found = new Map<string, UserRecord>(rows.map((r) => [r.id, r.record]))
    const given = new Set<string>()
    // every caller gets a record of its own, as from a query of its own: one may change what it was handed
    return ids.map((id) => {
      const user = found.get(id)
      if (user && given.has(id)) return structuredClone(user)
      given.add(id)
      return user
    })
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.#query('SELECT record FROM users ORDER BY id')).rows.map((r) => r.record)
  }

  async createUser(user: UserRecord): Promise<boolean> {
    const r = await this.#query('INSERT INTO users (id, record) VALUES ($1, $2) ON CONFLICT DO NOTHING', [user.id, JSON.stringify(user)])
    return r.rowCount === 1
  }

  // a change to an account is announced in the same statement: every node forgets its cached copy (user-cache.ts)
  async putUser(user: UserRecord): Promise<void> {
    this.users.forget([user.id])
    await this.#query(
      'WITH w AS (INSERT INTO users (id, record) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record) SELECT pg_notify($3, $4)',
      [user.id, JSON.stringify(user), CHANNEL, usersHint([user.id], this.nodeId)],
    )
    this.users.forget([user.id])
  }

  async deleteUser(id: string): Promise<boolean> {
    this.users.forget([id])
    const r = await this.#query('WITH gone AS (DELETE FROM users WHERE id = $1 RETURNING 1) SELECT pg_notify($2, $3) FROM gone', [id, CHANNEL, usersHint([id], this.nodeId)])
    this.users.forget([id])
    return r.rowCount === 1
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.#query('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value
  }

  async putMeta(key: string, value: string): Promise<void> {
    await this.#query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value])
  }

  async addMessages(copies: NewCopy[]): Promise<CopyVerdict[]> {
    this.#open()
    if (copies.length === 0) return []
    return this.#guard(this.#sends.submit(copies))
  }

  /** the sends of a batch as one call, each send's verdicts cut back out of the whole */
  async #storeSends(sends: NewCopy[][]): Promise<Array<PromiseSettledResult<CopyVerdict[]>>> {
    try {
      const verdicts = await addCopies(this.pool, sends.flat(), this.nodeId)
      let at = 0
      return fulfilled(sends.map((s) => verdicts.slice(at, (at += s.length))))
    } catch (err) {
      // one send's fault (an id already stored) must not fail the others: each alone, unless the database is gone
      if (sends.length === 1 || unreachable(err) !== err) throw err
      return Promise.allSettled(sends.map((s) => addCopies(this.pool, s, this.nodeId)))
    }
  }

  async listMessages(recipient: string): Promise<StoredMessage[]> {
    return (await this.#query('SELECT record FROM messages WHERE recipient = $1 ORDER BY seq', [recipient])).rows.map((r) => r.record)
  }

  async getMessage(recipient: string, id: string): Promise<StoredMessage | undefined> {
    return (await this.#query('SELECT record FROM messages WHERE recipient = $1 AND id = $2', [recipient, id])).rows[0]?.record
  }

  async removeMessage(recipient: string, id: string, outcome: Settlement): Promise<StoredMessage | undefined> {
    this.#open()
    return this.#guard(transaction(this.pool, (client) => settle(client, recipient, id, outcome, this.nodeId)))
  }

  async settledOutcome(recipient: string, id: string): Promise<number | undefined> {
    const r = await this.#query(
      'SELECT code FROM settled WHERE recipient = $1 AND id = $2 AND NOT EXISTS (SELECT 1 FROM messages WHERE recipient = $1 AND id = $2)',
      [recipient, id],
    )
    return r.rows[0]?.code
  }

  async listReports(owner: string): Promise<StoredReport[]> {
    return (await this.#query('SELECT record FROM reports WHERE owner = $1 ORDER BY seq', [owner])).rows.map((r) => r.record)
  }

  async removeReport(owner: string, id: string): Promise<StoredReport | undefined> {
    return (await this.#query('DELETE FROM reports WHERE owner = $1 AND id = $2 RETURNING record', [owner, id])).rows[0]?.record
  }

  async fileRelayedReport(report: StoredReport): Promise<boolean> {
    // one statement: the copy's outcome moves from 202 (handed over) to the report's, the report is filed and
    // the other nodes hear of it, or none of that
    const r = await this.#query(
      `WITH marked AS (UPDATE settled SET code = $4 WHERE recipient = $6 AND id = $7 AND code = 202 RETURNING 1),
       filed AS (INSERT INTO reports (owner, id, at, code, record) SELECT $1, $2, $3, $4, $5 FROM marked ON CONFLICT DO NOTHING RETURNING 1)
       SELECT pg_notify($8, $9) FROM filed`,
      [report.owner, report.id, report.at, report.code, JSON.stringify(report), report.recipient, report.messageId,
        CHANNEL, reportHint(report.owner, report.id, this.nodeId)],
    )
    return r.rowCount === 1
  }

  async recentReports({ code, limit }: { code?: number; limit: number }): Promise<StoredReport[]> {
    const r = await this.#query(
      'SELECT record FROM reports WHERE $1::integer IS NULL OR code = $1 ORDER BY at DESC, id LIMIT $2',
      [code ?? null, limit],
    )
    return r.rows.map((x) => x.record)
  }

  async usage(users: string[]): Promise<UserUsage[]> {
    const [counters, reports] = await Promise.all([
      this.#query('SELECT user_id, inbox_messages, inbox_bytes, outbox FROM counters WHERE user_id = ANY($1)', [users]),
      this.#query('SELECT owner, count(*) AS n FROM reports WHERE owner = ANY($1) GROUP BY owner', [users]),
    ])
    const c = new Map(counters.rows.map((r) => [r.user_id, r]))
    const n = new Map(reports.rows.map((r) => [r.owner, num(r.n)]))
    return users.map((user) => ({
      user,
      inbox: { messages: num(c.get(user)?.inbox_messages), bytes: num(c.get(user)?.inbox_bytes) },
      outbox: num(c.get(user)?.outbox),
      reports: n.get(user) ?? 0,
    }))
  }

  exclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    this.#open()
    return this.locks.holding(name, work)
  }

  async waitingAt(domain: string): Promise<string[]> {
    const suffix = `%@${domain.replace(/[\\%_]/g, (c) => `\\${c}`)}`
    const r = await this.#query(
      'SELECT recipient AS a FROM messages WHERE recipient LIKE $1 UNION SELECT owner FROM reports WHERE owner LIKE $1 ORDER BY 1',
      [suffix],
    )
    return r.rows.map((x) => x.a)
  }

  async dueForExpiry(now: number): Promise<string[]> {
    return (await this.#query('SELECT DISTINCT recipient FROM messages WHERE valid_until <= $1', [now])).rows.map((r) => r.recipient)
  }

  async largestMailboxes(limit: number): Promise<MailboxSummary[]> {
    const r = await this.#query(
      'SELECT user_id, inbox_messages, inbox_bytes FROM counters WHERE inbox_messages > 0 ORDER BY inbox_messages DESC, user_id LIMIT $1',
      [limit],
    )
    return r.rows.map((x) => ({ user: x.user_id, messages: num(x.inbox_messages), bytes: num(x.inbox_bytes) }))
  }

  async stats(): Promise<StoreStats> {
    const { rows: [s] } = await this.#query(`SELECT
      (SELECT count(*) FROM users) AS users,
      (SELECT count(*) FROM users WHERE (record->>'disabled')::boolean) AS disabled,
      (SELECT coalesce(sum(inbox_messages), 0) FROM counters) AS messages,
      (SELECT coalesce(sum(inbox_bytes), 0) FROM counters) AS bytes,
      (SELECT count(*) FROM reports) AS reports,
      pg_database_size(current_database()) AS disk`)
    return { users: num(s.users), disabled: num(s.disabled), messages: num(s.messages), bytes: num(s.bytes), reports: num(s.reports), diskBytes: num(s.disk) }
  }

  async checkWritable(): Promise<void> {
    const { rows: [r] } = await this.#query('SELECT pg_is_in_recovery() AS standby')
    if (r.standby) throw new Error('the database is a read-only standby')
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.locks.close()
    await this.pool.end()
  }

  async #query(sql: string, params: unknown[] = []): Promise<pg.QueryResult<any>> {
    this.#open()
    return this.#guard(this.pool.query(prepared(sql, params)))
  }

  /** a lost database becomes the 503 the doors answer (logged here, with the cause) */
  async #guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work
    } catch (err) {
      const mapped = unreachable(err)
      if (mapped !== err) this.log('unreachable', { error: (err as Error).message })
      throw mapped
    }
  }

  #open(): void {
    if (this.#closed) throw new Error('the store is closed')
  }
}
