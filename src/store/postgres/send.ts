import type { PoolClient } from 'pg'
import type { CopyVerdict, NewCopy } from '../store.js'
import { num } from './db.js'

/** the NOTIFY channel other nodes LISTEN on; the payload is a hint, never the message itself */
export const CHANNEL = 'pigeonhole'
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more */
const MAX_PAYLOAD = 7_900

interface Counter {
  inboxMessages: number
  inboxBytes: number
  outbox: number
}

/**
 * One send inside its transaction: locks the counter rows of every sender and recipient involved (in a fixed
 * order, so two sends never deadlock), judges each copy against them as the embedded store does (507 sender
 * first, then 410; earlier copies of the send count), inserts the admitted copies, moves the counters and
 * NOTIFYs which boxes changed. Another node's send to the same users waits on the row locks, so quotas hold
 * exactly across nodes.
 */
export async function addCopies(client: PoolClient, copies: NewCopy[]): Promise<CopyVerdict[]> {
  const users = [...new Set(copies.flatMap(({ message: m }) => [m.sender, m.recipient]))].sort()
  await client.query('INSERT INTO counters (user_id) SELECT u FROM unnest($1::text[]) AS u ORDER BY u COLLATE "C" ON CONFLICT DO NOTHING', [users])
  const { rows } = await client.query(
    'SELECT user_id, inbox_messages, inbox_bytes, outbox FROM counters WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE',
    [users],
  )
  const counters = new Map<string, Counter>()
  for (const r of rows) counters.set(r.user_id, { inboxMessages: num(r.inbox_messages), inboxBytes: num(r.inbox_bytes), outbox: num(r.outbox) })
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
  await client.query(
    `INSERT INTO messages (recipient, id, sender, size, valid_until, record)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::jsonb[])`,
    [ms.map((m) => m.recipient), ms.map((m) => m.id), ms.map((m) => m.sender), ms.map((m) => m.size),
      ms.map((m) => m.validUntil), ms.map((m) => JSON.stringify(m))],
  )
  const changed = [...counters].filter(([u]) => before.get(u)!.outbox !== counters.get(u)!.outbox || before.get(u)!.inboxMessages !== counters.get(u)!.inboxMessages)
  await client.query(
    `UPDATE counters c SET inbox_messages = d.m, inbox_bytes = d.b, outbox = d.o
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS d(u, m, b, o) WHERE c.user_id = d.u`,
    [changed.map(([u]) => u), changed.map(([, c]) => c.inboxMessages), changed.map(([, c]) => c.inboxBytes), changed.map(([, c]) => c.outbox)],
  )
  await client.query('SELECT pg_notify($1, $2)', [CHANNEL, hint(ms.map((m) => [m.recipient, m.id]))])
  return verdicts
}

/** `{"m":[[recipient, id], …]}`, or only the recipients, or `{"all":true}` when even those do not fit */
export function hint(copies: Array<[string, string]>): string {
  const full = JSON.stringify({ m: copies })
  if (Buffer.byteLength(full) <= MAX_PAYLOAD) return full
  const boxes = JSON.stringify({ r: [...new Set(copies.map(([r]) => r))] })
  return Buffer.byteLength(boxes) <= MAX_PAYLOAD ? boxes : JSON.stringify({ all: true })
}
