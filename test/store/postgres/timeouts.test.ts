import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import pg from 'pg'
import { ImpsError } from '../../../src/core/codes.js'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { copies, msg } from '../../support/records.js'
import { postgresSkipReason, useTestCluster } from '../../support/postgres.js'

const cluster = useTestCluster()
const unavailable = (err: unknown) => err instanceof ImpsError && err.code === 503
/** a hang fails the test instead of holding up the run */
const bounded = { timeout: 30_000 }

describe('PostgresStore: a slow or stuck database is a 503, not a hang (PIGEONHOLE_DATABASE_TIMEOUT_MS)', { skip: postgresSkipReason() }, () => {
  it('a send waiting on a lock someone else holds gives up after the statement timeout; once the lock is gone it stores', bounded, async () => {
    const url = await (await cluster()).createDatabase()
    const store = await PostgresStore.open(url, { statementTimeoutMs: 300 })
    await store.addMessages(copies([msg('bob', 'alice')]))
    const locker = new pg.Client({ connectionString: url })
    await locker.connect()
    try {
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE counters IN ACCESS EXCLUSIVE MODE')
      await assert.rejects(store.addMessages(copies([msg('bob', 'alice')])), unavailable)
      await locker.query('ROLLBACK')
      assert.deepEqual(await store.addMessages(copies([msg('bob', 'alice')])), ['stored'])
      assert.equal((await store.listMessages('bob')).length, 2, 'the one refused was never stored')
    } finally {
      await locker.end()
      await store.close()
    }
  })

  it('a database that stops answering altogether (its processes stopped): reads and writes reject, and work again once it answers', bounded, async () => {
    const c = await cluster()
    const url = await c.createDatabase()
    const store = await PostgresStore.open(url, { statementTimeoutMs: 300, poolSize: 2 })
    await store.addMessages(copies([msg('bob', 'alice')]))
    const thaw = c.freeze()
    try {
      await assert.rejects(store.listMessages('bob'), unavailable)
      await assert.rejects(store.addMessages(copies([msg('bob', 'alice')])), unavailable)
      await assert.rejects(store.checkWritable(), unavailable)
    } finally {
      thaw()
    }
    assert.deepEqual(await store.addMessages(copies([msg('bob', 'alice')])), ['stored'])
    assert.equal((await store.listMessages('bob')).length, 2)
    await store.close()
  })
})
