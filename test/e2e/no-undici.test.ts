import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ADMIN_CSP } from '../../src/http/admin/index.js'
import { undiciLoaded } from '../../src/http/lean-web-globals.js'
import { AdminHttp } from '../support/admin.js'
import type { Client } from '../support/client.js'
import { TestServer } from '../support/server.js'

// Node's fetch engine costs 12 MB, a quarter of the idle server. The server must never need it: every
// answer goes out through @hono/node-server's light Response, every body is read from Node's message.
// (This process's own test client uses fetch; that loads undici for the client, not through these globals.)
describe('a whole conversation, API and dashboard, never loads undici in the server', () => {
  let srv: TestServer
  let alice: Client
  let bob: Client
  before(async () => {
    srv = await TestServer.start({ adminPassword: 'lean-password' })
    ;[alice, bob] = await srv.users('alice', 'bob')
  })
  after(() => srv.destroy())

  it('login, offline send, push on connect, confirm, errors, dashboard pages and forms', async () => {
    await alice.login()
    assert.equal((await alice.send('bob', 'hello', { deliveryReport: true })).body.result.code, 201)
    assert.equal((await alice.post('/messages', '{not json')).status, 400)
    assert.equal((await alice.get('/nowhere')).status, 404)
    await bob.loginWith('push')
    const stream = await bob.openStream()
    const msg = await stream.next()
    assert.equal(msg.event, 'message')
    assert.equal((await bob.post(`/messages/${msg.data.id}/delivered`)).body.result.code, 200)
    assert.equal((await alice.get('/reports')).body.reports.length, 1)
    assert.equal((await fetch(srv.url + '/healthz')).status, 200)

    const admin = new AdminHttp(srv.url)
    assert.equal((await admin.login('lean-password')).status, 303)
    const page = await admin.page('/admin/users/bob')
    assert.match(page.html, /bob/)
    assert.equal(page.res.headers.get('content-security-policy'), ADMIN_CSP, "the dashboard's policy replaces the API's")
    assert.equal(page.res.headers.get('cache-control'), 'no-store')
    assert.equal((await admin.action('/admin/users/bob/lists/block', { add: 'carol' })).status, 303)
    assert.match((await admin.page('/admin/users/bob')).html, /carol/)
    const asset = await fetch(srv.url + '/admin/assets/htmx.min.js')
    assert.equal(asset.status, 200)
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=3600', "an answer's own header wins")
    stream.close()

    assert.equal(undiciLoaded(), false, 'a real Request or Response was built')
  })
})
