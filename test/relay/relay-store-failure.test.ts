import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { databaseUnavailable } from '../../src/core/refusals.js'
import type { Store } from '../../src/core/ports.js'
import { AdminHttp } from '../support/admin.js'
import type { Client } from '../support/client.js'
import { usePair } from '../support/relay.js'
import type { TestServer } from '../support/server.js'

/** the store's lock cannot be taken while `down` is true, as when a node loses its database */
function losesItsDatabase(store: Store): { down: boolean } {
  const state = { down: false }
  const exclusive = store.exclusive.bind(store)
  Object.assign(store, {
    exclusive: <T>(name: string, work: () => Promise<T>) =>
      state.down ? Promise.reject(databaseUnavailable('connect ECONNREFUSED 127.0.0.1:5432')) : exclusive(name, work),
  })
  return state
}

describe('the relay held up by this server\'s own store: the dashboard says so, and does not blame the peer', () => {
  const pair = usePair({ adminPassword: 'admin-password' })
  let a: TestServer
  let b: TestServer
  let alice: Client
  let database: { down: boolean }
  before(async () => {
    ;({ a, b } = pair)
    ;[alice] = await a.users('alice')
    await b.users('bob')
    await alice.login()
    database = losesItsDatabase(a.server.core.store)
  })
  const relay = () => a.server.core.relay!
  const peerB = async () => (await relay().statuses())[0]

  it('b.example took alice\'s first message; then a.example\'s database goes away and her second waits', async () => {
    await alice.send('bob@b.example', 'first')
    await relay().idle()
    assert.equal((await peerB()).reachable, true)
    database.down = true
    assert.equal((await alice.send('bob@b.example', 'second')).body.result.code, 201)
    await relay().idle()
    const peer = await peerB()
    assert.equal(peer.failedHere, true)
    assert.equal(peer.reachable, true, 'nothing was learned of b.example: it stays as it was')
    assert.match(peer.lastError!, /cannot reach its database/)
  })

  it('the admin reads where the trouble is: here, not at b.example; Retry now says the same', async () => {
    const admin = new AdminHttp(a.url)
    await admin.login('admin-password')
    const row = /<tr><td title="[^"]+">b\.example<\/td>(.*?)<\/tr>/s.exec((await admin.page('/admin')).html)?.[1] ?? ''
    assert.match(row, /held up here: this server(&#39;|')s store failed/)
    assert.doesNotMatch(row, /unreachable/)
    await admin.action('/admin/relay/b.example/retry')
    assert.match((await admin.page('/admin')).html, /Nothing could be handed to b\.example: this server(&#39;|')s store failed: .*cannot reach its database/)
  })

  it('the database is back: Retry now hands the second message over, and the row is clear again', async () => {
    database.down = false
    await relay().retryNow()
    const peer = await peerB()
    assert.deepEqual([peer.reachable, peer.failedHere], [true, false])
    assert.deepEqual((await b.server.core.store.listMessages('bob')).map((m) => m.body), ['first', 'second'])
  })
})
