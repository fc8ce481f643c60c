import type { Pool, PoolClient } from 'pg'

/** SQLSTATEs after which a transaction is simply run again: serialization failure, deadlock detected */
const RETRYABLE = new Set(['40001', '40P01'])

/**
 * Runs `work` in one transaction on a pooled connection: COMMIT on success (the durability point), ROLLBACK on
 * failure, and a few retries when PostgreSQL picked this transaction as a deadlock or serialization victim. A
 * connection that failed is destroyed rather than returned to the pool, so a lost database heals by itself.
 */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
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
      if (attempt < 5 && RETRYABLE.has((err as { code?: string }).code ?? '')) continue
      throw err
    } finally {
      client.release(broken)
    }
  }
}

/** a bigint column as a number (pg hands bigint back as a string to lose no precision; ours stay far below 2^53) */
export const num = (v: string | number | null | undefined): number => Number(v ?? 0)

/** where a database URL points, without its password: for messages an admin reads */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`
  } catch {
    return 'the database'
  }
}
