import type { QueryResult } from 'pg'
import type { AdminSession, AdminSessionRecords } from '../../core/admin-sessions.js'
import type { FailureLog } from '../../core/throttle.js'
import { num } from './db.js'

/** a query on the store's pool (prepared, a lost database turned into the 503) */
export type Query = (sql: string, params: unknown[]) => Promise<QueryResult<any>>

/** Schema step 4: failed logins and dashboard logins, shared by every node. */
export const SHARED_STATE_TABLES = `
  CREATE TABLE login_failures (key text COLLATE "C" NOT NULL, at bigint NOT NULL);
  CREATE INDEX login_failures_key ON login_failures (key, at);
  CREATE INDEX login_failures_age ON login_failures (at);
  CREATE TABLE admin_sessions (token text COLLATE "C" PRIMARY KEY, created_at bigint NOT NULL, record jsonb NOT NULL);`

/** failures older than this are of no use to any throttle (the longest window is 5 minutes) */
const KEPT_MS = 3_600_000

/** Failed logins in the database: a lockout counted on one node holds on all of them. */
export class PostgresFailureLog implements FailureLog {
  constructor(readonly query: Query) {}

  async recent(key: string, since: number): Promise<number[]> {
    const { rows } = await this.query('SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at', [key, since])
    return rows.map((r) => num(r.at))
  }

  async add(keys: string[], at: number): Promise<void> {
    await this.query('INSERT INTO login_failures (key, at) SELECT unnest($1::text[]), $2', [keys, at])
    // now and then the old rows go, so the table stays as small as the windows it serves
    if (Math.random() < 1 / 64) await this.query('DELETE FROM login_failures WHERE at < $1', [at - KEPT_MS])
  }

  async forget(keys: string[], prefix?: string): Promise<void> {
    await this.query('DELETE FROM login_failures WHERE key = ANY($1) OR starts_with(key, $2)', [keys, prefix ?? null])
  }
}

/** Dashboard logins in the database: an admin logged in through one node is logged in on every other. */
export class PostgresAdminSessions implements AdminSessionRecords {
  constructor(readonly query: Query) {}

  async get(token: string): Promise<AdminSession | undefined> {
    return (await this.query('SELECT record FROM admin_sessions WHERE token = $1', [token])).rows[0]?.record
  }

  async put(s: AdminSession): Promise<void> {
    await this.query(
      'INSERT INTO admin_sessions (token, created_at, record) VALUES ($1, $2, $3) ON CONFLICT (token) DO UPDATE SET record = EXCLUDED.record',
      [s.token, s.createdAt, JSON.stringify(s)],
    )
  }

  async delete(token: string): Promise<void> {
    await this.query('DELETE FROM admin_sessions WHERE token = $1', [token])
  }

  async trim(max: number): Promise<void> {
    await this.query('DELETE FROM admin_sessions WHERE token IN (SELECT token FROM admin_sessions ORDER BY created_at DESC, token OFFSET $1)', [max])
  }

  async clear(): Promise<void> {
    await this.query('DELETE FROM admin_sessions', [])
  }
}
