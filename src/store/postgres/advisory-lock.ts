import type pg from 'pg'

/** the first key of our advisory locks ('pgnh'), so that another application's locks on the database never collide */
const LOCK_SPACE = 0x70676e68

/**
 * Runs `work` while this node holds PostgreSQL's advisory lock `name` on a pooled connection, or returns
 * undefined at once if another node holds it. The lock is the connection's: if this node dies or its connection
 * is lost, PostgreSQL lets go of it and another node can take over.
 */
export async function holdingLock<T>(pool: pg.Pool, name: string, work: () => Promise<T>): Promise<T | undefined> {
  const client = await pool.connect()
  let broken: Error | undefined
  const onConnection = (sql: string) =>
    client.query(sql, [LOCK_SPACE, name]).catch((err: Error) => {
      broken = err // a connection that failed here is closed rather than reused, and any lock it held goes with it
      throw err
    })
  try {
    const { rows } = await onConnection('SELECT pg_try_advisory_lock($1, hashtext($2)) AS held')
    if (!rows[0]?.held) return undefined
    try {
      return await work()
    } finally {
      await onConnection('SELECT pg_advisory_unlock($1, hashtext($2))').catch(() => {})
    }
  } finally {
    client.release(broken)
  }
}
