import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { Client } from '../support/client.js'
import { relaysSettled, usePair } from '../support/relay.js'
import type { TestServer } from '../support/server.js'

describe('two Pigeonhole servers relay offline messages: alice@a.example and bob@b.example', () => {
  const pair = usePair({}, { inboxMaxMessages: 3 })
  let a: TestServer
  let b: TestServer
  let alice: Client
  let bob: Client
  before(async () => {
    ;({ a, b } = pair)
    ;[alice] = await a.users('alice')
    ;[bob] = await b.users('bob', 'carol')
    await alice.login()
  })

  it('alice writes to bob, who is offline: 202 once queued; bob logs in later, sees alice@a.example, confirms; alice gets a 200 report', async () => {
    const sent = await alice.send('bob@b.example', 'Lunch tomorrow?', { deliveryReport: true })
    assert.deepEqual(sent.body.result, {
      code: 201, text: 'Partially successful',
      details: [{ code: 202, text: 'IM accepted for offline user', users: ['bob@b.example'] }],
    })
    await relaysSettled(a, b)
    assert.equal((await alice.get('/quota')).body.outbox.queued, 0, 'once b.example stored it, it left alice\'s queue')

    const login = await bob.loginWith('pull')
    assert.deepEqual(login.body.pending, { messages: 1, reports: 0 })
    const [info] = (await bob.get('/messages')).body.messages
    assert.equal(info.id, sent.body.messageId, 'the message keeps its id across the link')
    assert.equal(info.sender, 'alice@a.example')
    assert.equal(info.offline, true)
    assert.equal((await bob.post(`/messages/${info.id}/delivered`)).body.result.code, 200)
    await relaysSettled(b, a)

    const [report] = (await alice.get('/reports')).body.reports
    assert.equal(report.messageId, sent.body.messageId)
    assert.equal(report.recipient, 'bob@b.example')
    assert.deepEqual(report.result, { code: 200, text: 'Successful' })
    assert.ok(report.deliveredAt)
  })

  it('bob answers alice@a.example, who is online with a stream: it arrives live, from bob@b.example', async () => {
    const stream = await alice.openStream()
    await bob.send('alice@a.example', 'Yes, at noon')
    await relaysSettled(b, a)
    let e = await stream.next()
    while (e.event !== 'message') e = await stream.next()
    assert.equal(e.data.sender, 'bob@b.example')
    assert.equal(e.data.body, 'Yes, at noon')
    assert.equal(e.data.offline, false, 'alice was logged in on her server')
  })

  it('reports come back for refusals on the other side: 531 unknown user, 532 blocked, 410 offline space full', async () => {
    await bob.post('/logout') // an online recipient's copies are not held to the offline quota
    const carol = b.client('carol')
    await carol.login()
    const blocking = await carol.post('/blocklist', { block: { inUse: true, add: ['alice@a.example'] } })
    assert.deepEqual(blocking.body.block, { inUse: true, users: ['alice@a.example'] }, 'a user of another server can be blocked by address')
    await carol.post('/logout')
    const unknown = await alice.send('nobody@b.example', 'hello?', { deliveryReport: true })
    const blocked = await alice.send('carol@b.example', 'hi carol', { deliveryReport: true })
    const fill = []
    for (let i = 0; i < 4; i++) fill.push((await alice.send('bob@b.example', `note ${i}`, { deliveryReport: true })).body.messageId)
    await relaysSettled(a, b)
    const reports = (await alice.get('/reports')).body.reports as Array<{ messageId: string; result: { code: number } }>
    const codeOf = (id: string) => reports.find((r) => r.messageId === id)?.result.code
    assert.equal(codeOf(unknown.body.messageId), 531)
    assert.equal(codeOf(blocked.body.messageId), 532)
    assert.deepEqual(fill.map(codeOf), [undefined, undefined, undefined, 410], 'bob\'s offline store holds 3; the 4th is refused there')
  })

  it('each server shows its relay key at /relay/v1/key, the one its peer pinned', async () => {
    const shown = await (await fetch(`${b.url}/relay/v1/key`)).json()
    assert.deepEqual(shown, { domain: 'b.example', publicKey: a.config.peers[0].publicKey })
  })

  it('a domain this server has no peer for is unknown (531), and nothing is queued for it', async () => {
    const sent = await alice.send('zed@elsewhere.org', 'anyone?')
    assert.equal(sent.body.result.code, 531)
    assert.deepEqual(await a.server.core.store.waitingAt('elsewhere.org'), [])
  })
})
