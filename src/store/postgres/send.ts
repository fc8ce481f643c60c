import type { Pool } from 'pg'
import type { CopyVerdict, NewCopy } from '../store.js'
import { retried } from './db.js'
import { CHANNEL, MAX_PAYLOAD } from './hints.js'

/**
 * One send as ONE statement (one round trip, committed on its own): the database function below locks the
 * counter rows of every sender and recipient involved (creating missing ones first, both in a fixed order, so
 * two sends never deadlock), judges each copy against them as the embedded store does (507 sender first, then
 * 410; earlier copies of the send count), inserts the admitted copies, moves the counters and NOTIFYs which boxes
 * changed (`node`: who sent it, so that it does not hear its own hint). Another node's send to the same users
 * waits on the row locks, so quotas hold exactly across nodes. An online copy carries no limits (NULLs): it is
 * stored and counted, never refused.
 */
export async function addCopies(pool: Pool, copies: NewCopy[], node?: string): Promise<CopyVerdict[]> {
  const ms = copies.map((c) => c.message)
  const limit = (pick: (l: NonNullable<NewCopy['limits']>) => number) => copies.map((c) => (c.limits ? pick(c.limits) : null))
  const { rows: [row] } = await retried(() => pool.query({
    name: 'pigeonhole_add_copies',
    text: 'SELECT pigeonhole_add_copies($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS verdicts',
    values: [
      ms.map((m) => m.recipient), ms.map((m) => m.id), ms.map((m) => m.sender), ms.map((m) => m.size), ms.map((m) => m.validUntil),
      ms.map((m) => JSON.stringify(m)),
      limit((l) => l.outboxMaxMessages), limit((l) => l.inboxMaxMessages), limit((l) => l.inboxMaxBytes), CHANNEL, node ?? null,
    ],
  }))
  return (row.verdicts as number[]).map((v) => (v === 0 ? 'stored' : (v as 507 | 410)))
}

/**
 * Schema step 3: the send as a function. The hint it NOTIFYs (hints.ts) names the sending node and the stored
 * copies, `{"n": node, "m": [[recipient, id], …]}`, or only their boxes, `{"n": node, "r": [recipient, …]}`, or
 * `{"n": node, "all": true}` when even those would not fit; a send
 * that stored nothing says nothing. Verdicts: 0 stored, 507 the sender's queue is full, 410 the box is full.
 */
export const ADD_COPIES_FUNCTION = `
CREATE FUNCTION pigeonhole_add_copies(
  recipients text[], ids text[], senders text[], sizes bigint[], valid_until bigint[], records jsonb[],
  outbox_max bigint[], inbox_max bigint[], inbox_bytes_max bigint[], channel text, node text
) RETURNS integer[] LANGUAGE plpgsql AS $fn$
DECLARE
  -- the users involved, sorted, and their counters at the same positions
  users text[];
  queued bigint[];
  waiting bigint[];
  waiting_bytes bigint[];
  s integer;
  r integer;
  verdicts integer[] := '{}';
  kept integer[] := '{}';
  hint text;
BEGIN
  SELECT array_agg(u ORDER BY u) INTO users FROM (SELECT DISTINCT unnest(senders || recipients) COLLATE "C" AS u) AS d;
  INSERT INTO counters (user_id) SELECT u FROM unnest(users) AS u ORDER BY u COLLATE "C" ON CONFLICT DO NOTHING;
  SELECT array_agg(c.outbox ORDER BY c.user_id), array_agg(c.inbox_messages ORDER BY c.user_id), array_agg(c.inbox_bytes ORDER BY c.user_id)
    INTO queued, waiting, waiting_bytes
    FROM (SELECT * FROM counters WHERE user_id = ANY(users) ORDER BY user_id FOR UPDATE) AS c;
  -- judged in memory, copy by copy; then one INSERT and one UPDATE for all (a statement per copy cost the most)
  FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
    s := array_position(users, senders[i]);
    r := array_position(users, recipients[i]);
    IF outbox_max[i] IS NOT NULL THEN
      IF queued[s] >= outbox_max[i] THEN
        verdicts := verdicts || 507;
        CONTINUE;
      END IF;
      IF waiting[r] + 1 > inbox_max[i] OR waiting_bytes[r] + sizes[i] > inbox_bytes_max[i] THEN
        verdicts := verdicts || 410;
        CONTINUE;
      END IF;
    END IF;
    queued[s] := queued[s] + 1;
    waiting[r] := waiting[r] + 1;
    waiting_bytes[r] := waiting_bytes[r] + sizes[i];
    verdicts := verdicts || 0;
    kept := kept || i;
  END LOOP;
  IF cardinality(kept) = 0 THEN
    RETURN verdicts;
  END IF;
  INSERT INTO messages (recipient, id, sender, size, valid_until, record)
    SELECT recipients[k], ids[k], senders[k], sizes[k], valid_until[k], records[k] FROM unnest(kept) AS k;
  UPDATE counters AS c SET outbox = n.o, inbox_messages = n.m, inbox_bytes = n.b
    FROM unnest(users, queued, waiting, waiting_bytes) AS n(u, o, m, b)
    WHERE c.user_id = n.u AND (c.outbox, c.inbox_messages, c.inbox_bytes) IS DISTINCT FROM (n.o, n.m, n.b);
  -- json_strip_nulls: a store that names no node sends no "n"
  hint := json_strip_nulls(json_build_object('n', node, 'm', (SELECT json_agg(json_build_array(recipients[k], ids[k])) FROM unnest(kept) AS k)))::text;
  IF octet_length(hint) > ${MAX_PAYLOAD} THEN
    hint := json_strip_nulls(json_build_object('n', node, 'r', (SELECT json_agg(b ORDER BY b) FROM (SELECT DISTINCT recipients[k] COLLATE "C" AS b FROM unnest(kept) AS k) AS d)))::text;
  END IF;
  IF octet_length(hint) > ${MAX_PAYLOAD} THEN
    hint := json_strip_nulls(json_build_object('n', node, 'all', true))::text;
  END IF;
  PERFORM pg_notify(channel, hint);
  RETURN verdicts;
END
$fn$;`
