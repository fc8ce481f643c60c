import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { AdminHttp } from '../support/admin.js'
import type { Client } from '../support/client.js'
import { type PeerSide, usePair } from '../support/relay.js'
import type { TestServer } from '../support/server.js'

describe('the relay across outages: the peer down, back, retried, expired; nothing lost, nothing twice', () => {
  const pair = usePair({ outboxMaxMessages: 4, adminPassword: 'admin-password' })
  let a: TestServer
  let b: TestServer
  let sideB: PeerSide
  let alice: Client
  before(async () => {
    ;({ a, b, sides: [, sideB] } = pair)
    ;[alice] = await a.users('alice')
    await b.users('bob')
    await alice.login()
  })
  const relay = () => a.server.core.relay!
  const peerB = async () => (await relay().statuses())[0]

  it('b.example is down: alice still gets 202, the copies wait in her queue (507 past her quota), the peer list says why', async () => {
    await b.stop()
    const sent = []
    for (let i = 0; i < 3; i++) sent.push(await alice.send('bob@b.example', `while you were out ${i}`, { deliveryReport: true }))
    assert.deepEqual(sent.map((s) => s.body.result.details[0].code), [202, 202, 202])
    await relay().idle()
    assert.equal((await peerB()).reachable, false)
    assert.match((await peerB()).lastError!, /cannot be reached/)
    assert.deepEqual((await peerB()).queued, { messages: 3, reports: 0 })
    assert.ok((await peerB()).nextAttemptAt! > a.clock.now(), 'a retry is scheduled')
    assert.equal((await alice.send('bob@b.example', 'one more')).body.result.code, 201)
    assert.equal((await alice.send('bob@b.example', 'and another')).body.result.details[0].code, 507, 'her queue of 4 is full')
  })

  it('the admin sees it on the dashboard: b.example unreachable, 4 queued, why; Retry now says it is still down', async () => {
    const admin = new AdminHttp(a.url)
    await admin.login('admin-password')
    const { html } = await admin.page('/admin')
    const row = /<tr><td title="[^"]+">b\.example<\/td>(.*?)<\/tr>/s.exec(html)?.[1] ?? ''
    assert.match(row, /unreachable/)
    assert.match(row, /4 messages, 0 reports/)
    assert.match(row, /cannot be reached/)
    const retry = await admin.action('/admin/relay/b.example/retry')
    assert.equal(retry.status, 303)
    assert.match((await admin.page('/admin')).html, /b\.example is still unreachable: .*cannot be reached/, 'the notice says why')
  })

  it('b.example comes back: the queue goes out once, in order, and empties', async () => {
    b = pair.b = await b.restart({ port: sideB.port })
    await relay().retryNow()
    assert.equal((await peerB()).reachable, true)
    assert.equal((await peerB()).nextAttemptAt, undefined, 'no retry is announced once it got through')
    assert.deepEqual((await peerB()).queued, { messages: 0, reports: 0 })
    const waiting = await b.server.core.store.listMessages('bob')
    assert.deepEqual(waiting.map((m) => m.body), ['while you were out 0', 'while you were out 1', 'while you were out 2', 'one more'])
    assert.equal((await alice.get('/quota')).body.outbox.queued, 0)
  })

  it('a batch sent again (its answer lost) is stored once, even after bob confirmed it', async () => {
    const [first] = await b.server.core.store.listMessages('bob')
    const again = { ...first, sender: 'alice', recipient: 'bob@b.example' }
    await a.server.core.store.addMessages([{ message: again }])
    await relay().retryNow()
    assert.equal((await b.server.core.store.listMessages('bob')).filter((m) => m.id === first.id).length, 1)

    const bob = b.client('bob')
    await bob.loginWith('pull')
    assert.equal((await bob.post(`/messages/${first.id}/delivered`)).body.result.code, 200)
    await a.server.core.store.addMessages([{ message: again }])
    await relay().retryNow()
    assert.equal(await b.server.core.store.getMessage('bob', first.id), undefined, 'a confirmed message does not come back')
    assert.deepEqual(await a.server.core.store.waitingAt('b.example'), [], 'and the copy sent again left the queue here')
    await bob.post('/logout')
  })

  it('a copy whose validity ends while the peer is down is settled here as 542, and alice is told', async () => {
    await b.stop()
    const sent = await alice.send('bob@b.example', 'only for a minute', { deliveryReport: true, validity: 60 })
    await relay().idle()
    a.clock.advance(61)
    await a.server.sweep()
    const report = (await alice.get('/reports')).body.reports.find((r: any) => r.messageId === sent.body.messageId)
    assert.deepEqual(report.result, { code: 542, text: 'Message has expired' })
    assert.equal(report.recipient, 'bob@b.example')
    assert.deepEqual(await a.server.core.store.waitingAt('b.example'), [])
    b = pair.b = await b.restart({ port: sideB.port })
  })
})
