import type { Pool, PoolClient } from 'pg'
import type { CopyVerdict, NewCopy } from '../store.js'
import { num } from './db.js'
import { CHANNEL, messagesHint } from './hints.js'

interface Counter {
  inboxMessages: number
  inboxBytes: number
  outbox: number
}

/**
 * One send inside its transaction: locks the counter rows of every sender and recipient involved (in a fixed
 * order, so two sends never deadlock), judges each copy against them as the embedded store does (507 sender
 * first, then 410; earlier copies of the send count), inserts the admitted copies, moves the counters and
 * NOTIFYs which boxes changed (`node`: who sent it). Another node's send to the same users waits on the row locks, so quotas hold
 * exactly across nodes.
 */
export async function addCopies(client: PoolClient, copies: NewCopy[], node?: string): Promise<CopyVerdict[]> {
  const users = usersOf(copies)
  const counters = await lockCounters(client, users)
  const before = new Map([...counters].map(([u, c]) => [u, { ...c }]))
  const stored: NewCopy[] = []
  const verdicts = copies.map((copy): CopyVerdict => {
    const { message: m, limits } = copy
    const sender = counters.get(m.sender)!
    const inbox = counters.get(m.recipient)!
    if (limits) {
      if (sender.outbox >= limits.outboxMaxMessages) return 507
      if (inbox.inboxMessages + 1 > limits.inboxMaxMessages || inbox.inboxBytes + m.size > limits.inboxMaxBytes) return 410
    }
    sender.outbox++
    inbox.inboxMessages++
    inbox.inboxBytes += m.size
    stored.push(copy)
    return 'stored'
  })
  if (stored.length === 0) return verdicts
  const ms = stored.map((c) => c.message)
  const changed = [...counters].filter(([u]) => before.get(u)!.outbox !== counters.get(u)!.outbox || before.get(u)!.inboxMessages !== counters.get(u)!.inboxMessages)
  // one round trip: the copies, the counters and the hint
  await client.query(
    `WITH stored AS (
       INSERT INTO messages (recipient, id, sender, size, valid_until, record)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::jsonb[])),
     counted AS (
       UPDATE counters c SET inbox_messages = d.m, inbox_bytes = d.b, outbox = d.o
       FROM unnest($7::text[], $8::bigint[], $9::bigint[], $10::bigint[]) AS d(u, m, b, o) WHERE c.user_id = d.u)
     SELECT pg_notify($11, $12)`,
    [ms.map((m) => m.recipient), ms.map((m) => m.id), ms.map((m) => m.sender), ms.map((m) => m.size),
      ms.map((m) => m.validUntil), ms.map((m) => JSON.stringify(m)),
      changed.map(([u]) => u), changed.map(([, c]) => c.inboxMessages), changed.map(([, c]) => c.inboxBytes), changed.map(([, c]) => c.outbox),
      CHANNEL, messagesHint(ms.map((m) => [m.recipient, m.id]), node)],
  )
  return verdicts
}

/** the senders and recipients of a send, sorted: the order their counter rows are locked in */
export const usersOf = (copies: NewCopy[]): string[] => [...new Set(copies.flatMap(({ message: m }) => [m.sender, m.recipient]))].sort()

const NEW_COUNTERS = 'INSERT INTO counters (user_id) SELECT u FROM unnest($1::text[]) AS u ORDER BY u COLLATE "C" ON CONFLICT DO NOTHING'

/**
 * Counter rows are never deleted, so a node remembers whose it has seen and creates the others in their own
 * small transaction before a send: a send's transaction then only locks rows that exist, always in the same
 * order, and two first sends cannot deadlock.
 */
export class CounterRows {
  readonly #known = new Set<string>()

  async ensure(pool: Pool, users: string[]): Promise<void> {
    const missing = users.filter((u) => !this.#known.has(u))
    if (missing.length === 0) return
    await pool.query(NEW_COUNTERS, [missing])
    if (this.#known.size > 100_000) this.#known.clear()
    for (const u of missing) this.#known.add(u)
  }
}

/** Locks the counter rows of `users` (sorted) and reads them; a row still missing is inserted here (a fallback). */
async function lockCounters(client: PoolClient, users: string[]): Promise<Map<string, Counter>> {
  const lock = () => client.query(
    'SELECT user_id, inbox_messages, inbox_bytes, outbox FROM counters WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE',
    [users],
  )
  let { rows } = await lock()
  if (rows.length < users.length) {
    await client.query(NEW_COUNTERS, [users])
    ;({ rows } = await lock())
  }
  const counters = new Map<string, Counter>()
  for (const r of rows) counters.set(r.user_id, { inboxMessages: num(r.inbox_messages), inboxBytes: num(r.inbox_bytes), outbox: num(r.outbox) })
  return counters
}
