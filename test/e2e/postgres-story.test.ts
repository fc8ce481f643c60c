import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { AdminHttp } from '../support/admin.js'
import { TestServer } from '../support/server.js'

const cluster = useTestCluster()
const ADMIN_PASSWORD = 'outage-password'

describe('the seed story on PostgreSQL: two servers on one database, alice on one, bob picks it up on the other', { skip: postgresSkipReason() }, () => {
  let node1: TestServer
  let node2: TestServer
  before(async () => {
    const databaseUrl = await (await cluster()).createDatabase()
    node1 = await TestServer.start({ databaseUrl, databasePool: 4, adminPassword: ADMIN_PASSWORD })
    node2 = await TestServer.start({ databaseUrl, databasePool: 4 })
  })
  after(async () => {
    await node1?.destroy()
    await node2?.destroy()
  })

  it('alice gets 202 for offline bob on node 1; bob lists, gets and confirms on node 2; alice has her report on node 1', async () => {
    const [alice] = await node1.users('alice', 'bob')
    const bob = node2.client('bob')
    assert.equal((await alice.login()).status, 200)
    const sent = await alice.send('bob', 'Are you coming tonight?', { deliveryReport: true })
    assert.deepEqual(sent.body.result.details, [{ code: 202, text: 'IM accepted for offline user', users: ['bob'] }])

    const login = await bob.loginWith('pull')
    assert.equal(login.body.result.code, 200, 'an account made on node 1 logs in on node 2')
    assert.deepEqual(login.body.pending, { messages: 1, reports: 0 })
    const [info] = (await bob.get('/messages')).body.messages
    assert.equal(info.id, sent.body.messageId)
    assert.equal((await bob.get(`/messages/${info.id}`)).body.message.body, 'Are you coming tonight?')
    assert.equal((await bob.post(`/messages/${info.id}/delivered`)).body.result.code, 200)
    assert.equal((await bob.post(`/messages/${info.id}/delivered`)).body.result.code, 200, 'MessageDelivered is idempotent')
    assert.equal((await bob.get('/messages')).body.total, 0)

    const reports = (await alice.get('/reports')).body.reports
    assert.deepEqual(reports.map((r: { messageId: string; result: { code: number } }) => [r.messageId, r.result.code]), [[sent.body.messageId, 200]])
  })

  it('while the database is down a send is refused with 503, and once it is back the same server stores again', async () => {
    const [carol] = await node1.users('carol', 'dave')
    await carol.login()
    const admin = new AdminHttp(node1.url)
    assert.equal((await admin.login(ADMIN_PASSWORD)).status, 303)
    const c = await cluster()
    await c.stop()
    try {
      const refused = await carol.send('dave', 'anyone there?')
      assert.equal(refused.status, 503)
      assert.equal(refused.body.result.code, 503)
      const health = await fetch(`${node1.url}/healthz`)
      assert.equal(health.status, 503, 'the health check says so')
      assert.match((await health.json()).reason, /cannot reach its database/, 'and names the database, for whoever reads the balancer\'s log')
      // the dashboard says what is wrong, in a sentence, rather than 'something went wrong' or a lockout
      const page = await admin.page('/admin/users')
      assert.equal(page.status, 503)
      assert.match(page.html, /cannot reach its database; nothing was changed/)
      const login = await new AdminHttp(node1.url).login(ADMIN_PASSWORD)
      assert.equal(login.status, 503)
      assert.doesNotMatch(await login.text(), /Too many failed logins|undefined/)
    } finally {
      await c.start()
    }
    assert.equal((await fetch(`${node1.url}/healthz`)).status, 200)
    const sent = await carol.send('dave', 'back again')
    assert.deepEqual(sent.body.result.details?.[0]?.code, 202)
  })
})
