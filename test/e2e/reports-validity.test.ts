import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { TestServer } from '../support/server.js'

let srv: TestServer
afterEach(() => srv?.destroy())

const outcome = (r: any) => [r.recipient, r.result.code, r.result.text]

describe('delivery reports', () => {
  it('delivered (200 with deliveredAt) and rejected (538), listed, pushed as events, gone once acknowledged', async () => {
    srv = await TestServer.start()
    const [alice, bob, carol] = await srv.users('alice', 'bob', 'carol')
    await alice.loginWith('pull')
    const aliceStream = await alice.openStream()
    const sent = await alice.send(['bob', 'carol'], 'RSVP?', { deliveryReport: true })
    await alice.send('bob', 'no report wanted')
    await bob.loginWith('pull')
    await carol.loginWith('pull')
    srv.clock.advance(5)
    await bob.post(`/messages/${sent.body.messageId}/delivered`)
    await carol.post(`/messages/${sent.body.messageId}/reject`)

    const [e1, e2] = await aliceStream.take(2)
    assert.deepEqual([e1.event, e2.event], ['report', 'report'])
    assert.deepEqual(outcome(e1.data), ['bob', 200, 'Successful'])
    assert.equal(e1.data.deliveredAt, new Date(srv.clock.now()).toISOString())
    assert.deepEqual(outcome(e2.data), ['carol', 538, 'Message has been rejected'])
    assert.equal(e2.data.deliveredAt, undefined)
    assert.equal(e2.data.messageId, sent.body.messageId)

    const listed = (await alice.get('/reports')).body.reports
    assert.deepEqual(listed.map((r: any) => r.id), [e1.data.id, e2.data.id])
    for (const r of listed) assert.equal((await alice.post(`/reports/${r.id}/ack`)).body.result.code, 200)
    assert.deepEqual((await alice.get('/reports')).body.reports, [])
    assert.equal((await alice.post(`/reports/${e1.data.id}/ack`)).body.result.code, 404)
    const bobsOther = (await bob.get('/messages')).body.messages[0]
    await bob.post(`/messages/${bobsOther.id}/delivered`)
    assert.deepEqual((await alice.get('/reports')).body.reports, [], 'no report for a sender who did not ask')
  })

  it('an unacknowledged report is sent again on the next stream and survives a restart', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    const sent = await alice.send('bob', 'tell me when', { deliveryReport: true })
    await alice.post('/logout')
    await bob.loginWith('pull')
    await bob.post(`/messages/${sent.body.messageId}/delivered`)

    srv = await srv.restart()
    const alice2 = srv.client('alice')
    const login = await alice2.loginWith('pull')
    assert.deepEqual(login.body.pending, { messages: 0, reports: 1 })
    const s1 = await alice2.openStream()
    const first = await s1.next()
    assert.deepEqual([first.event, first.data.messageId, first.data.result.code], ['report', sent.body.messageId, 200])
    s1.close()
    const s2 = await alice2.openStream()
    assert.equal((await s2.next()).data.id, first.data.id, 'sent again until acknowledged')
    await alice2.post(`/reports/${first.data.id}/ack`)
    s2.close()
    assert.equal((await alice2.login()).body.pending.reports, 0)
  })
})

describe('validity and expiry', () => {
  it('an expired message is never listed or pushed, even before the sweep; the sweep removes it and reports 542', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login({ timeToLive: 86_400 })
    const short = await alice.send('bob', 'only for a minute', { validity: 60, deliveryReport: true })
    const long = await alice.send('bob', 'for a day', { validity: 86_400 })
    const info = (await (async () => {
      await bob.loginWith('pull')
      return bob.get('/messages')
    })()).body.messages
    assert.equal(info[0].validUntil, new Date(srv.clock.now() + 60_000).toISOString())
    await bob.post('/logout')

    srv.clock.advance(61)
    await bob.loginWith('push')
    const stream = await bob.openStream()
    const first = await stream.next()
    assert.equal(first.data.id, long.body.messageId, 'the expired one is skipped')
    assert.equal((await bob.get(`/messages/${short.body.messageId}`)).body.result.code, 426)
    const reports = (await alice.get('/reports')).body.reports
    assert.deepEqual(reports.map((r: any) => [r.messageId, r.result.code, r.result.text]), [[short.body.messageId, 542, 'Message has expired']])
  })

  it('the periodic sweep frees the space of expired messages nobody looked at', async () => {
    srv = await TestServer.start({ validityDefaultSeconds: 100 })
    const [alice] = await srv.users('alice', 'bob')
    await alice.login({ timeToLive: 86_400 })
    await alice.send('bob', 'default validity', { deliveryReport: true })
    srv.clock.advance(99)
    assert.equal((await srv.server.sweep()).expired, 0)
    srv.clock.advance(1)
    assert.equal((await srv.server.sweep()).expired, 1)
    assert.equal((await srv.server.core.store.usage(['bob']))[0].inbox.messages, 0)
    assert.equal((await srv.server.core.store.usage(['alice']))[0].outbox, 0)
    assert.equal((await alice.get('/reports')).body.reports[0].result.code, 542)
  })

  it('a validity beyond the maximum is cut to the maximum', async () => {
    srv = await TestServer.start({ validityMaxSeconds: 3600 })
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    await alice.send('bob', 'forever?', { validity: 10_000_000 })
    await bob.loginWith('pull')
    const [m] = (await bob.get('/messages')).body.messages
    assert.equal(Date.parse(m.validUntil) - Date.parse(m.sentAt), 3_600_000)
  })
})
