import type { Pool, PoolClient, PoolConfig } from 'pg'
import { parseDatabaseUrl } from '../../config.js'
import { ImpsError } from '../../core/codes.js'
import { databaseUnavailable } from '../../core/refusals.js'

/** SQLSTATEs after which a transaction is simply run again: serialization failure, deadlock detected */
const RETRYABLE = new Set(['40001', '40P01'])

/**
 * Runs `work` in one transaction on a pooled connection: COMMIT on success (the durability point), ROLLBACK on
 * failure, and a few retries when PostgreSQL picked this transaction as a deadlock or serialization victim. A
 * connection that failed is destroyed rather than returned to the pool, so a lost database heals by itself.
 */
export function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return retried(async () => {
    const client = await pool.connect()
    let broken: Error | undefined
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (err) {
      try {
        await client.query('ROLLBACK')
      } catch (rollbackFailed) {
        broken = rollbackFailed as Error
      }
      throw err
    } finally {
      client.release(broken)
    }
  })
}

/** runs `attempt` (a transaction, or one statement committed on its own) again when PostgreSQL picked it as a deadlock or serialization victim */
export async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt()
    } catch (err) {
      if (n < 5 && RETRYABLE.has((err as { code?: string }).code ?? '')) continue
      throw err
    }
  }
}

const statementNames = new Map<string, string>()

/**
 * A query as a named prepared statement: each connection parses and plans it once, then only binds and runs it
 * (a statement sent by text is parsed and planned every time, which was most of the database's CPU per send).
 */
export function prepared(text: string, values: unknown[]): { name: string; text: string; values: unknown[] } {
  let name = statementNames.get(text)
  if (!name) statementNames.set(text, (name = `pigeonhole_${statementNames.size + 1}`))
  return { name, text, values }
}

/** a bigint column as a number (pg hands bigint back as a string to lose no precision; ours stay far below 2^53) */
export const num = (v: string | number | null | undefined): number => Number(v ?? 0)

/** where a database URL points, without its password: for messages an admin reads */
export function describeUrl(url: string): string {
  try {
    const u = parseDatabaseUrl(url)
    const socket = u.searchParams.get('host')
    const where = socket?.startsWith('/') ? `unix:${socket}` : `${socket || u.hostname || 'localhost'}:${u.searchParams.get('port') || u.port || '5432'}`
    return `${where}${u.pathname || '/'}`
  } catch {
    return 'the database'
  }
}

/**
 * Node's socket errors, SQLSTATE classes 08 (connection exception) and 57P0x (the server shut down or is starting),
 * and 57014 (a statement cancelled: the statement timeout ran out)
 */
const LOST = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|08...|57P0[1-3]|57014)$/
/** what the client says when the server stops answering, or no pooled connection came in time */
const LOST_TEXT = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/

/** a lost database as the 503 every door answers (nothing was changed, try again); any other error unchanged */
export function unreachable(err: unknown): unknown {
  const e = err as { code?: string; message?: string }
  if (err instanceof ImpsError || !(LOST.test(e?.code ?? '') || LOST_TEXT.test(e?.message ?? ''))) return err
  return databaseUnavailable(e.message ?? String(e.code))
}

/** an error in a few words, on one line (an AggregateError of several addresses has no message of its own) */
export function reason(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: Array<{ message?: string }> }
  const text = e?.message || e?.errors?.map((x) => x.message).join('; ') || e?.code || String(err)
  return text.replace(/\s+/g, ' ').trim()
}

/**
 * A database that is slow or stuck must turn into a 503, not a request that hangs: PostgreSQL cancels a
 * statement that runs (or waits on a lock) too long, and the client gives up on a server that stops answering
 * altogether a moment later (the connection is then dropped, not reused). Waiting for a pooled connection has
 * the same limit. 0 turns all three off, except for a connection's first answer (10 s).
 */
export function timeouts(ms: number): Pick<PoolConfig, 'statement_timeout' | 'query_timeout' | 'connectionTimeoutMillis'> {
  if (ms === 0) return { connectionTimeoutMillis: 10_000 }
  return { statement_timeout: ms, query_timeout: ms + 1_000, connectionTimeoutMillis: ms }
}

/** `work`, or a rejection with `why` once `ms` have passed without it */
export function withTimeout<T>(work: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why)), ms)))
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
