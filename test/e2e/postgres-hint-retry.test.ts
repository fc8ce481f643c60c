import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Store } from '../../src/core/ports.js'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { TestServer } from '../support/server.js'

const cluster = useTestCluster()

/** the store's next `getMessage` fails as a dropped database connection would; the ones after it work */
function failNextGetMessage(store: Store): { failed: () => boolean } {
  const working = store.getMessage.bind(store)
  let failed = false
  Object.assign(store, {
    getMessage: async (recipient: string, id: string) => {
      if (failed) return working(recipient, id)
      failed = true
      throw new Error('Connection terminated unexpectedly')
    },
  })
  return { failed: () => failed }
}

describe('a hint whose read fails: the node reads again at its next heartbeat', { skip: postgresSkipReason() }, () => {
  let node1: TestServer
  let node2: TestServer
  before(async () => {
    const databaseUrl = await (await cluster()).createDatabase()
    node1 = await TestServer.start({ databaseUrl, databasePool: 4, nodeId: 'node1', nodeHeartbeatSeconds: 1 })
    node2 = await TestServer.start({ databaseUrl, databasePool: 4, nodeId: 'node2', nodeHeartbeatSeconds: 1 })
  })
  after(async () => {
    await node1?.destroy()
    await node2?.destroy()
  })

  it('bob streams on node 2; node 2 cannot read alice\'s message when it hears of it, and hands it to him a heartbeat later', async () => {
    const [alice] = await node1.users('alice', 'bob')
    const bob = node2.client('bob')
    await alice.login()
    await bob.loginWith('push')
    const stream = await bob.openStream()
    const fault = failNextGetMessage(node2.server.core.store)

    const sent = await alice.send('bob', 'Still there?')
    assert.ok([200, 201].includes(sent.body.result.code), JSON.stringify(sent.body))
    // without the retry the message would wait until bob's client reconnected: here it comes within a heartbeat or two
    const arrived = await stream.nextOf('message', 4000)
    assert.ok(fault.failed(), 'node 2\'s read of the hinted message failed once')
    assert.equal(arrived.data.id, sent.body.messageId)
    assert.equal(arrived.data.body, 'Still there?')
  })
})
