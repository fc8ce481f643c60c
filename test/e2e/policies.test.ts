import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { storeUser } from '../../src/core/accounts.js'
import { TestServer } from '../support/server.js'

let srv: TestServer
afterEach(() => srv?.destroy())

describe('quotas', () => {
  it('the sender’s offline queue: 507 once its quota of waiting messages is reached (HTTP 429)', async () => {
    srv = await TestServer.start({ outboxMaxMessages: 2 })
    const [alice] = await srv.users('alice', 'bob', 'carol', 'dave')
    await alice.login()
    assert.equal((await alice.send('bob', '1')).body.result.details[0].code, 202)
    const mixed = await alice.send(['carol', 'dave'], '2')
    assert.deepEqual(mixed.body.result.details, [
      { code: 202, text: 'IM accepted for offline user', users: ['carol'] },
      { code: 507, text: 'Message queue for offline messages is full', users: ['dave'] },
    ])
    const full = await alice.send('bob', '3')
    assert.equal(full.status, 429)
    assert.equal(full.body.result.code, 507)
    assert.deepEqual((await alice.get('/quota')).body.outbox, { queued: 2, maxQueued: 2 })
  })

  it('the recipient’s store: 410 by count and by bytes (HTTP 507); 507 is checked first', async () => {
    srv = await TestServer.start({ inboxMaxMessages: 2, inboxMaxBytes: 10, outboxMaxMessages: 100 })
    const [alice, bob, carol] = await srv.users('alice', 'bob', 'carol')
    await alice.login()
    assert.equal((await alice.send('bob', '12345')).body.result.details[0].code, 202)
    const bytes = await alice.send('bob', '123456') // 5 + 6 > 10
    assert.deepEqual([bytes.status, bytes.body.result.code], [507, 410])
    assert.equal((await alice.send('bob', '12345')).body.result.details[0].code, 202) // exactly 10 bytes
    const count = await alice.send('bob', '1')
    assert.equal(count.body.result.code, 410)
    await bob.loginWith('pull')
    assert.deepEqual((await bob.get('/quota')).body.inbox, { messages: 2, bytes: 10, maxMessages: 2, maxBytes: 10 })
    // a sender whose own queue is also full hears 507, not 410
    await storeUser(srv.server.core, { ...(await (await srv.server.core.store.getUser('carol')))!, quotas: { outboxMaxMessages: 0 } })
    await bob.post('/logout')
    await carol.login()
    assert.equal((await carol.send('bob', 'x')).body.result.code, 507)
  })

  it('a recipient who is logged in is never refused by quotas', async () => {
    srv = await TestServer.start({ inboxMaxMessages: 1 })
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    await bob.loginWith('pull')
    for (let i = 0; i < 3; i++) assert.equal((await alice.send('bob', `m${i}`)).body.result.code, 200)
    assert.equal((await bob.get('/quota')).body.inbox.messages, 3, 'what waits counts, however it got there')
  })

  it('per-user overrides beat the defaults', async () => {
    srv = await TestServer.start({ inboxMaxMessages: 100 })
    const [alice] = await srv.users('alice', 'bob')
    await storeUser(srv.server.core, { ...(await (await srv.server.core.store.getUser('bob')))!, quotas: { inboxMaxMessages: 1 } })
    await alice.login()
    assert.equal((await alice.send('bob', '1')).body.result.details[0].code, 202)
    assert.equal((await alice.send('bob', '2')).body.result.code, 410)
  })

  it('counters are exact after confirmations, rejections, expiry and a restart: the boundaries hold where they were', async () => {
    srv = await TestServer.start({ inboxMaxMessages: 3, outboxMaxMessages: 5 })
    const [alice, bob] = await srv.users('alice', 'bob', 'carol', 'dave')
    await alice.login({ timeToLive: 86_400 })
    const ids = []
    for (let i = 0; i < 3; i++) ids.push((await alice.send('bob', `m${i}`, { validity: i === 2 ? 60 : 3600 })).body.messageId)
    assert.equal((await alice.send('bob', 'over')).body.result.code, 410)

    await bob.loginWith('pull')
    await bob.post(`/messages/${ids[0]}/delivered`)
    await bob.post(`/messages/${ids[1]}/reject`)
    await bob.post('/logout')
    srv.clock.advance(61)
    await srv.server.sweep() // ids[2] expires
    assert.equal((await srv.server.core.store.usage(['bob']))[0].inbox.messages, 0)
    assert.equal((await srv.server.core.store.usage(['alice']))[0].outbox, 0)

    for (let i = 0; i < 3; i++) await alice.send('bob', `again${i}`)
    await alice.send('carol', 'c1')
    await alice.send('carol', 'c2') // alice: 5 waiting, bob: 3 waiting

    srv = await srv.restart()
    const [alice2, dave] = [srv.client('alice'), srv.client('dave')]
    await alice2.login()
    await dave.login()
    assert.deepEqual((await alice2.get('/quota')).body.outbox, { queued: 5, maxQueued: 5 })
    assert.equal((await alice2.send('dave', 'online is fine')).body.result.code, 200)
    assert.equal((await alice2.send('carol', 'c3')).body.result.code, 507, 'alice is at her limit of 5 again')
    assert.equal((await dave.send('bob', 'over')).body.result.code, 410, 'bob is full at 3 again')
    assert.equal((await dave.send('carol', 'fits')).body.result.details[0].code, 202)
  })
})

describe('block and grant lists', () => {
  it('a blocked sender gets 532 at send; the recipient edits its lists with BlockEntity', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob', 'carol')
    await bob.loginWith('pull')
    const edited = await bob.post('/blocklist', { block: { inUse: true, add: ['Alice'] } })
    assert.deepEqual(edited.body.block, { inUse: true, users: ['alice'] })
    assert.deepEqual(edited.body.grant, { inUse: false, users: [] })
    await alice.login()
    const sent = await alice.send('bob', 'let me in')
    assert.deepEqual([sent.status, sent.body.result.code], [403, 532])
    await bob.post('/blocklist', { block: { remove: ['alice'] } })
    assert.equal((await alice.send('bob', 'thanks')).body.result.code, 200)
    assert.deepEqual((await bob.get('/blocklist')).body.block, { inUse: true, users: [] })
  })

  it('a grant list in use lets only its members through', async () => {
    srv = await TestServer.start()
    const [alice, bob, carol] = await srv.users('alice', 'bob', 'carol')
    await bob.login()
    await bob.post('/blocklist', { grant: { inUse: true, add: ['carol'] } })
    await bob.post('/logout')
    await alice.login()
    await carol.login()
    assert.equal((await alice.send('bob', 'hi')).body.result.code, 532)
    assert.equal((await carol.send('bob', 'hi')).body.result.details[0].code, 202)
  })

  it('a stored message whose sender is blocked afterwards is dropped, never shown, and reported 532', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    const sent = await alice.send('bob', 'you will not see this', { deliveryReport: true })
    await alice.send('bob', 'nor this')
    const aliceStream = await alice.openStream()
    await bob.loginWith('push')
    await bob.post('/blocklist', { block: { inUse: true, add: ['alice'] } })
    const stream = await bob.openStream()
    // the drop happens as bob's stream connects; alice hears of it when its report is on disk
    const heard = await aliceStream.next()
    assert.deepEqual([heard.event, heard.data.messageId, heard.data.result.code], ['report', sent.body.messageId, 532])
    assert.equal((await bob.get('/messages')).body.total, 0)
    assert.equal(stream.pending().filter((e) => e.event === 'message').length, 0)
    const reports = (await alice.get('/reports')).body.reports
    assert.deepEqual(reports.map((r: any) => [r.messageId, r.result.code, r.recipient]), [[sent.body.messageId, 532, 'bob']])
    assert.equal((await srv.server.core.store.usage(['alice']))[0].outbox, 0)
  })
})
