import type { PoolClient } from 'pg'
import { DatabaseError } from './errors.js'
import { ADD_COPIES_FUNCTION } from './send.js'
import { SHARED_STATE_TABLES } from './shared-state.js'

/**
 * The PostgreSQL schema as numbered steps; a database records the last step applied, every start applies the
 * missing ones in one transaction (under an advisory lock, so two nodes starting at once do not race), and a
 * database written by a newer Pigeonhole is refused rather than misread.
 */
export const MIGRATIONS: string[] = [
  // 1: users, meta, messages, reports, settled outcomes and the per-user counters the quotas are checked on
  `CREATE TABLE users (id text COLLATE "C" PRIMARY KEY, record jsonb NOT NULL);
   CREATE TABLE meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
   CREATE TABLE messages (
     recipient text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, seq bigserial NOT NULL, sender text COLLATE "C" NOT NULL,
     size bigint NOT NULL, valid_until bigint NOT NULL, record jsonb NOT NULL,
     PRIMARY KEY (recipient, id));
   CREATE INDEX messages_box ON messages (recipient, seq);
   CREATE INDEX messages_expiry ON messages (valid_until);
   CREATE TABLE counters (
     user_id text COLLATE "C" PRIMARY KEY, inbox_messages bigint NOT NULL DEFAULT 0, inbox_bytes bigint NOT NULL DEFAULT 0,
     outbox bigint NOT NULL DEFAULT 0);
   CREATE TABLE reports (
     owner text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, seq bigserial NOT NULL, at bigint NOT NULL, code integer NOT NULL, record jsonb NOT NULL,
     PRIMARY KEY (owner, id));
   CREATE INDEX reports_recent ON reports (at DESC, id);
   CREATE INDEX reports_box ON reports (owner, seq);
   CREATE TABLE settled (
     recipient text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, code integer NOT NULL, seq bigserial NOT NULL,
     PRIMARY KEY (recipient, id));
   CREATE INDEX settled_age ON settled (recipient, seq);`,
  // 2: the nodes sharing the database, their live sessions (so that every node knows who is online, and a token
  // works on any node: a session taken up by a second node has a row for each) and what each user last published
  `CREATE TABLE nodes (id text COLLATE "C" PRIMARY KEY, expires_at timestamptz NOT NULL);
   CREATE TABLE sessions (
     id text COLLATE "C" NOT NULL, node text COLLATE "C" NOT NULL, token_hash text COLLATE "C" NOT NULL,
     user_id text COLLATE "C" NOT NULL, record jsonb NOT NULL, expires_at timestamptz NOT NULL,
     PRIMARY KEY (id, node));
   CREATE INDEX sessions_token ON sessions (token_hash);
   CREATE INDEX sessions_user ON sessions (user_id);
   CREATE INDEX sessions_node ON sessions (node);
   CREATE TABLE presence (user_id text COLLATE "C" PRIMARY KEY, record jsonb NOT NULL);`,
  // 3: a send in one round trip (send.ts)
  ADD_COPIES_FUNCTION,
  // 4: failed logins and dashboard logins, shared by the nodes (shared-state.ts)
  SHARED_STATE_TABLES,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** an arbitrary constant: the advisory lock key that serialises migrations across nodes */
const MIGRATION_LOCK = 0x70696765

export async function migrate(client: PoolClient): Promise<void> {
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query('CREATE TABLE IF NOT EXISTS pigeonhole_schema (version integer NOT NULL)')
    const { rows } = await client.query<{ version: number }>('SELECT version FROM pigeonhole_schema')
    const version = rows[0]?.version ?? 0
    if (version > SCHEMA_VERSION) {
      throw new DatabaseError(`the database schema is version ${version}, newer than this Pigeonhole knows (${SCHEMA_VERSION}); run the newer Pigeonhole, or restore a backup taken before the upgrade`)
    }
    for (let v = version; v < SCHEMA_VERSION; v++) await client.query(MIGRATIONS[v])
    if (rows.length === 0) await client.query('INSERT INTO pigeonhole_schema (version) VALUES ($1)', [SCHEMA_VERSION])
    else if (version < SCHEMA_VERSION) await client.query('UPDATE pigeonhole_schema SET version = $1', [SCHEMA_VERSION])
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  }
}
