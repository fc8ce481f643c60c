import type pg from 'pg'

/** the first key of our advisory locks ('pgnh'), so that another application's locks on the database never collide */
const LOCK_SPACE = 0x70676e68

/**
 * Cluster-wide locks by name (PostgreSQL's advisory locks), all held on one connection of their own: a lock is
 * held for as long as its work runs (a relay batch waits on a peer for seconds), and holding it on a pooled
 * connection would take that connection from the sends. If this node dies or the connection is lost,
 * PostgreSQL lets go of its locks and another node can take over.
 */
export class AdvisoryLocks {
  #client: Promise<pg.Client> | undefined
  /** names held here: PostgreSQL would let this one connection take a lock it holds again */
  readonly #held = new Set<string>()

  constructor(private readonly connect: () => Promise<pg.Client>) {}

  /** runs `work` holding the lock `name`, or returns undefined at once if another node (or work here) holds it */
  async holding<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.#held.has(name)) return undefined
    this.#held.add(name)
    try {
      return await this.#holdingOnce(name, work)
    } finally {
      this.#held.delete(name)
    }
  }

  async #holdingOnce<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    const client = await this.#connection()
    const lock = (sql: string) =>
      client.query(sql, [LOCK_SPACE, name]).catch((err: Error) => {
        this.#drop(client) // a connection that failed here is closed, and any lock it held goes with it
        throw err
      })
    const { rows } = await lock('SELECT pg_try_advisory_lock($1, hashtext($2)) AS held')
    if (!rows[0]?.held) return undefined
    try {
      return await work()
    } finally {
      await lock('SELECT pg_advisory_unlock($1, hashtext($2))').catch(() => {})
    }
  }

  async close(): Promise<void> {
    const client = this.#client
    this.#client = undefined
    const c = await client?.catch(() => undefined)
    await c?.end().catch(() => {})
  }

  #connection(): Promise<pg.Client> {
    this.#client ??= this.connect().then(
      (c) => {
        c.on('error', () => this.#drop(c))
        return c
      },
      (err) => {
        this.#client = undefined
        throw err
      },
    )
    return this.#client
  }

  #drop(client: pg.Client): void {
    void this.#client?.then((c) => {
      if (c === client) this.#client = undefined
    }, () => {})
    client.end().catch(() => {})
  }
}
