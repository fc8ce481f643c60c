import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { copies, msg } from '../../support/records.js'
import { postgresSkipReason, useTestCluster } from '../../support/postgres.js'

const cluster = useTestCluster()
const limits = { outboxMaxMessages: 1_000, inboxMaxMessages: 3, inboxMaxBytes: 1 << 30 }

describe('PostgresStore: sends made at once share one database call (group commit)', { skip: postgresSkipReason() }, () => {
  it('each send hears its own verdicts, judged in the order they were made', async () => {
    const store = await PostgresStore.open(await (await cluster()).createDatabase())
    const sends = Array.from({ length: 5 }, (_, i) => store.addMessages([{ message: msg('bob', `s${i}`), limits }, { message: msg(`r${i}`, `s${i}`) }]))
    assert.deepEqual(await Promise.all(sends), [
      ['stored', 'stored'], ['stored', 'stored'], ['stored', 'stored'], [410, 'stored'], [410, 'stored'],
    ], "bob's box has room for 3: the first three sends fill it")
    assert.equal((await store.listMessages('bob')).length, 3)
    await store.close()
  })

  it('a send that fails on its own (a message id already stored) fails alone; the others made with it are stored', async () => {
    const store = await PostgresStore.open(await (await cluster()).createDatabase())
    const first = msg('bob')
    await store.addMessages(copies([first]))
    const [a, again, b] = await Promise.allSettled([msg('bob'), first, msg('bob')].map((m) => store.addMessages(copies([m]))))
    assert.deepEqual([a.status, again.status, b.status], ['fulfilled', 'rejected', 'fulfilled'])
    assert.equal((await store.listMessages('bob')).length, 3)
    await store.close()
  })

  it('callers asking for the same account at once each get a record of their own', async () => {
    const store = await PostgresStore.open(await (await cluster()).createDatabase())
    await store.createUser({ id: 'bob', passwordHash: 'h', createdAt: 0, disabled: false, quotas: {}, block: { inUse: false, users: [] }, grant: { inUse: false, users: [] } })
    const [x, y, nobody] = await Promise.all([store.getUser('bob'), store.getUser('bob'), store.getUser('nobody')])
    assert.deepEqual(x, y)
    assert.notEqual(x, y)
    assert.equal(nobody, undefined)
    await store.close()
  })
})
