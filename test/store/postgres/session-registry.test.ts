import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import pg from 'pg'
import { defaultConfig } from '../../../src/config.js'
import { defaultCapabilities } from '../../../src/core/capabilities.js'
import type { Session } from '../../../src/core/sessions.js'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { SessionRegistry } from '../../../src/store/postgres/session-registry.js'
import { postgresSkipReason, useTestCluster } from '../../support/postgres.js'

const cluster = useTestCluster()

const session = (id: string, userId: string): Session => ({
  id, token: `token-of-${id}`, userId, clientId: undefined, ttlSeconds: 300, createdAt: 0, lastSeen: 0, holds: 0,
  capabilities: defaultCapabilities(defaultConfig()), door: 'json', watching: { users: new Set(), lists: new Set() },
})

describe('the sessions a node records for the others', { skip: postgresSkipReason() }, () => {
  it('a heartbeat whose list was read before a login leaves that login\'s row alone; a session that ended goes', async () => {
    const url = await (await cluster()).createDatabase()
    const store = await PostgresStore.open(url, { poolSize: 4 }) // creates the schema
    const pool = new pg.Pool({ connectionString: url, max: 4 })
    const node1 = new SessionRegistry(pool, 'node1', 1)
    const node2 = new SessionRegistry(pool, 'node2', 1)
    const old = session('s-old', 'olga')
    await node1.heartbeat([old], 0)
    await node1.record(old, 0, { started: true })
    const listBeforeTheLogin = [old]
    const fresh = session('s-new', 'nina')
    await node1.record(fresh, 0, { started: true }) // nina logs in while the heartbeat is on its way
    await node1.heartbeat(listBeforeTheLogin, 0)
    assert.equal((await node2.claim(fresh.token))?.id, 's-new', 'node 2 still finds nina\'s session')

    await node1.forget(old.id, old.userId) // olga's session timed out here
    await node1.heartbeat([fresh], 0)
    assert.equal(await node2.claim(old.token), undefined, 'olga\'s is gone')

    const lena = session('s-lena', 'lena')
    await node1.record(lena, 0, { started: true })
    const listBeforeTheLogout = [fresh, lena]
    await node1.forget(lena.id, lena.userId, 200) // lena logs out while the heartbeat is on its way
    await node1.heartbeat(listBeforeTheLogout, 0)
    assert.equal(await node2.claim(lena.token), undefined, 'the heartbeat does not bring her row back')

    // rita logs out on node 3 while its database connection drops: her rows stay, until the next heartbeat
    let failNext = false
    const flaky = {
      query: (text: string, values?: unknown[]) => {
        if (!failNext) return pool.query(text, values)
        failNext = false
        return Promise.reject(new Error('Connection terminated unexpectedly'))
      },
    } as unknown as pg.Pool
    const node3 = new SessionRegistry(flaky, 'node3', 1)
    const rita = session('s-rita', 'rita')
    await node3.heartbeat([rita], 0)
    await node3.record(rita, 0, { started: true })
    await node2.heartbeat([], 0)
    await node2.record(rita, 0, {}) // node 2 took her session up too (she used her token there)
    failNext = true
    await assert.rejects(node3.forget(rita.id, rita.userId, 200), /Connection terminated/)
    assert.equal((await node1.claim(rita.token))?.id, 's-rita', 'her rows outlived the failed delete')
    await node3.heartbeat([], 0)
    await node3.written(rita.id)
    assert.equal(await node1.claim(rita.token), undefined, 'the next heartbeat asks again, on every node')
    await pool.end()
    await store.close()
  })
})
