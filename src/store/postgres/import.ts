import type { Pool, PoolClient } from 'pg'
import type { UserRecord } from '../../core/types.js'
import type { BoxFile } from '../embedded/box.js'
import { num } from './db.js'
import { DatabaseError } from './errors.js'
import { CHANNEL } from './hints.js'

/** what an embedded data directory holds, as `pigeonhole migrate` reads it */
export interface EmbeddedContents {
  users: UserRecord[]
  meta: Record<string, string>
  boxes: AsyncIterable<BoxFile>
}

export const KINDS = ['users', 'meta', 'messages', 'reports', 'settled'] as const
export type Counts = Record<(typeof KINDS)[number], number>

export interface ImportResult {
  /** what the data directory held */
  source: Counts
  /** rows this run added (with `merge`, what was already there is skipped) */
  copied: Counts
  /** what the database holds now */
  database: Counts
}

/** rows per INSERT: large enough that a big store needs few round trips, small enough to keep each statement modest */
const BATCH = 1000

/**
 * Copies an embedded store into the database in ONE transaction, so a migration either happens whole or not
 * at all. The tables are locked against writes from running nodes meanwhile (reads go on), counters are
 * recomputed from the messages, and the counts are checked before COMMIT: the database must hold what it held
 * before plus every row copied, and, unless `merge`, every row of the source. Rows already present (same
 * user id, same message id in the same box) are skipped, so a merge run twice copies nothing the second time.
 */
export async function importEmbedded(pool: Pool, contents: EmbeddedContents, opts: { merge: boolean; where: string }): Promise<ImportResult> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    await client.query('LOCK TABLE users, meta, messages, counters, reports, settled IN EXCLUSIVE MODE')
    const before = await countRows(client)
    if (!opts.merge && before.users > 0) {
      throw new DatabaseError(`the database at ${opts.where} already holds ${before.users} users; migrate fills an empty database (add --merge to copy into this one, keeping what it holds)`)
    }
    const { source, copied } = await copyAll(client, contents)
    await client.query(RECOUNT)
    const database = await countRows(client)
    checkCounts(before, source, copied, database, opts.merge)
    // nodes running on this database (a --merge) re-read what waits for their sessions, and forget cached accounts
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ all: true })])
    await client.query('COMMIT')
    return { source, copied, database }
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e))
    throw err
  } finally {
    client.release(broken)
  }
}

async function copyAll(client: PoolClient, contents: EmbeddedContents): Promise<{ source: Counts; copied: Counts }> {
  const source = zero()
  const copied = zero()
  const tables = {
    users: new Rows(client, 'users (id, record)', ['text', 'jsonb'], '', (n) => (copied.users += n)),
    meta: new Rows(client, 'meta (key, value)', ['text', 'text'], '', (n) => (copied.meta += n)),
    messages: new Rows(client, 'messages (recipient, id, sender, size, valid_until, record)', ['text', 'text', 'text', 'bigint', 'bigint', 'jsonb'], '', (n) => (copied.messages += n)),
    reports: new Rows(client, 'reports (owner, id, at, code, record)', ['text', 'text', 'bigint', 'integer', 'jsonb'], '', (n) => (copied.reports += n)),
    // an outcome is remembered only for a copy that is gone: one waiting again (in this box or already in the database) is not settled
    settled: new Rows(client, 'settled (recipient, id, code)', ['text', 'text', 'integer'], 'WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.recipient = r.c1 AND m.id = r.c2)', (n) => (copied.settled += n)),
  }
  for (const u of contents.users) await tables.users.add([u.id, JSON.stringify(u)])
  for (const [key, value] of Object.entries(contents.meta)) await tables.meta.add([key, value])
  source.users = contents.users.length
  source.meta = Object.keys(contents.meta).length
  for await (const box of contents.boxes) {
    for (const m of box.messages) await tables.messages.add([m.recipient, m.id, m.sender, m.size, m.validUntil, JSON.stringify(m)])
    for (const r of box.reports) await tables.reports.add([r.owner, r.id, r.at, r.code, JSON.stringify(r)])
    // oldest first, as the box keeps them: the database's sequence then keeps the same order
    const waiting = new Set(box.messages.map((m) => m.id))
    const settled = (box.settled ?? []).filter(([id]) => !waiting.has(id))
    for (const [id, code] of settled) await tables.settled.add([box.user, id, code])
    source.messages += box.messages.length
    source.reports += box.reports.length
    source.settled += settled.length
  }
  await tables.messages.flush() // before settled, whose check reads the messages
  for (const t of Object.values(tables)) await t.flush()
  return { source, copied }
}

/**
 * Rows for one table, inserted BATCH at a time with one `INSERT … SELECT FROM unnest(…)` each; a row whose key
 * is already there is skipped (ON CONFLICT DO NOTHING) and `copied` hears how many went in.
 */
class Rows {
  #rows: unknown[][] = []

  constructor(
    readonly client: PoolClient,
    readonly into: string,
    readonly types: string[],
    readonly where: string,
    readonly copied: (n: number) => void,
  ) {}

  async add(row: unknown[]): Promise<void> {
    this.#rows.push(row)
    if (this.#rows.length >= BATCH) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#rows.length === 0) return
    const rows = this.#rows
    this.#rows = []
    const columns = this.types.map((_, i) => `c${i + 1}`)
    const arrays = this.types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')
    const r = await this.client.query(
      `INSERT INTO ${this.into} SELECT ${columns.join(', ')} FROM unnest(${arrays}) AS r(${columns.join(', ')}) ${this.where} ON CONFLICT DO NOTHING`,
      this.types.map((_, i) => rows.map((row) => row[i])),
    )
    this.copied(r.rowCount ?? 0)
  }
}

/** every user's counters from the messages that wait, replacing what they said (rows are never deleted) */
const RECOUNT = `
  INSERT INTO counters (user_id, inbox_messages, inbox_bytes, outbox)
  SELECT u, sum(m)::bigint, sum(b)::bigint, sum(o)::bigint FROM (
    SELECT recipient AS u, count(*) AS m, sum(size) AS b, 0 AS o FROM messages GROUP BY recipient
    UNION ALL SELECT sender, 0, 0, count(*) FROM messages GROUP BY sender
    UNION ALL SELECT user_id, 0, 0, 0 FROM counters) AS t
  GROUP BY u ORDER BY u
  ON CONFLICT (user_id) DO UPDATE SET inbox_messages = EXCLUDED.inbox_messages, inbox_bytes = EXCLUDED.inbox_bytes, outbox = EXCLUDED.outbox`

async function countRows(client: PoolClient): Promise<Counts> {
  const { rows: [r] } = await client.query(`SELECT ${KINDS.map((k) => `(SELECT count(*) FROM ${k}) AS ${k}`).join(', ')}`)
  return Object.fromEntries(KINDS.map((k) => [k, num(r[k])])) as Counts
}

function checkCounts(before: Counts, source: Counts, copied: Counts, database: Counts, merge: boolean): void {
  const wrong = KINDS.filter((k) => database[k] !== before[k] + copied[k] || (!merge && copied[k] !== source[k]))
  if (wrong.length) {
    const said = wrong.map((k) => `${k}: ${source[k]} in the data directory, ${copied[k]} copied, ${database[k]} in the database`).join('; ')
    throw new DatabaseError(`the counts do not match after copying (${said}); nothing was changed`)
  }
}

const zero = (): Counts => ({ users: 0, meta: 0, messages: 0, reports: 0, settled: 0 })
