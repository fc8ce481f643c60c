import type { PoolClient } from 'pg'
import type { StoredMessage } from '../../core/types.js'
import type { Settlement } from '../store.js'
import { SETTLED_KEPT } from '../embedded/box.js'
import { prepared } from './db.js'
import { CHANNEL, reportHint } from './hints.js'


/**
 * One settlement inside its transaction: deletes the copy (a second settler waits on its row lock, then finds
 * it gone and changes nothing), moves the counters, remembers the outcome and files the report (hinting the other nodes of it). Now and then
 * the recipient's oldest remembered outcomes beyond SETTLED_KEPT are dropped, so the table stays bounded.
 */
export async function settle(client: PoolClient, recipient: string, id: string, outcome: Settlement, node?: string): Promise<StoredMessage | undefined> {
  const gone = await client.query(prepared('DELETE FROM messages WHERE recipient = $1 AND id = $2 RETURNING sender, size, record', [recipient, id]))
  const row = gone.rows[0]
  if (!row) return undefined
  const users = [...new Set([recipient, row.sender as string])].sort()
  await client.query(prepared('SELECT 1 FROM counters WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE', [users]))
  await client.query(prepared(
    `UPDATE counters SET
       inbox_messages = inbox_messages - (CASE WHEN user_id = $1 THEN 1 ELSE 0 END),
       inbox_bytes = inbox_bytes - (CASE WHEN user_id = $1 THEN $3::bigint ELSE 0 END),
       outbox = outbox - (CASE WHEN user_id = $2 THEN 1 ELSE 0 END)
     WHERE user_id IN ($1, $2)`,
    [recipient, row.sender, row.size],
  ))
  await client.query(prepared(
    `INSERT INTO settled (recipient, id, code) VALUES ($1, $2, $3)
     ON CONFLICT (recipient, id) DO UPDATE SET code = EXCLUDED.code, seq = nextval(pg_get_serial_sequence('settled', 'seq'))`,
    [recipient, id, outcome.code],
  ))
  const r = outcome.report
  if (r) {
    // the sender may be connected to another node: the hint reaches it when this commits
    await client.query(prepared(
      'WITH filed AS (INSERT INTO reports (owner, id, at, code, record) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING) SELECT pg_notify($6, $7)',
      [r.owner, r.id, r.at, r.code, JSON.stringify(r), CHANNEL, reportHint(r.owner, r.id, node)],
    ))
  }
  if (Math.random() < 1 / 32) {
    await client.query(prepared(
      'DELETE FROM settled WHERE recipient = $1 AND seq <= (SELECT seq FROM settled WHERE recipient = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)',
      [recipient, SETTLED_KEPT],
    ))
  }
  return row.record
}
