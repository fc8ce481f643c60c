import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { textAt } from '../../src/http/wv-csp/xml/tree.js'
import { WvClient } from '../../scripts/wv.js'
import { Client } from '../support/client.js'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { useTwoNodes } from '../support/nodes.js'

const cluster = useTestCluster()

describe('a phone behind a proxy without sticky sessions: it logs in on node 1 and its next requests reach node 2', { skip: postgresSkipReason() }, () => {
  const nodes = useTwoNodes(cluster)

  it("bob's phone logs in through node 1; alice's message waits in node 1's queue for its next poll, which reaches node 2; acknowledged there, node 1 does not offer it again", async () => {
    const alice = new Client(nodes.node1.url, 'alice')
    for (const name of ['alice', 'bob']) assert.equal((await new Client(nodes.node1.url, name).post('/users', { userId: name, password: `${name}-password` })).status, 200)
    await alice.login()
    const phone = new WvClient(nodes.node1.url + '/imps', '1.2')
    assert.equal((await phone.login('wv:bob', 'bob-password')).txs[0].code, 200)
    const sent = await alice.send('bob', 'waiting for your phone')
    assert.equal(sent.body.result.code, 200, 'bob is logged in')
    // the proxy sends the next requests to the other node: the same phone, the same SessionID
    const viaNode2 = new WvClient(nodes.node2.url + '/imps', '1.2')
    viaNode2.sessionId = phone.sessionId
    const poll = await viaNode2.poll()
    assert.equal(poll.status, 200)
    const [message] = viaNode2.take()
    assert.equal(message?.name, 'NewMessage', 'node 2 took the session up and found what waits')
    assert.equal(textAt(message.el, 'ContentData'), 'waiting for your phone')
    assert.equal((await viaNode2.ack([message]))?.status, 200)
    const again = await phone.poll()
    assert.deepEqual(again.txs.map((t) => t.name), [], 'confirmed on node 2: node 1 offers it no more')

    const stranger = new WvClient(nodes.node2.url + '/imps', '1.2')
    stranger.sessionId = 'not-a-session-anywhere'
    const refused = await stranger.poll()
    assert.match(refused.text, /<Code>604<\/Code>/, 'an unknown SessionID is still 604 on every node')
  })
})
