import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { ADMIN_CSP } from '../../src/http/admin/index.js'
import { leanGlobalsInstalled, undiciLoaded } from '../../src/http/lean-web-globals.js'
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

    assert.equal(leanGlobalsInstalled(), true)
    assert.equal(undiciLoaded(), false, 'a real Request or Response was built')
  })

  it('reads chunked bodies from Node\'s message: whole, too large (413), or cut off by a client that vanished', async () => {
    const chunked = (body: string, vanish = false) =>
      new Promise<number | 'gone'>((resolve, reject) => {
        const req = request(srv.url + '/api/v1/login', { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        })
        req.on('error', (err) => (vanish ? resolve('gone') : reject(err)))
        req.write(body.slice(0, 10))
        if (vanish) setImmediate(() => req.destroy())
        else req.end(body.slice(10))
      })
    assert.equal(await chunked(JSON.stringify({ userId: 'alice', password: 'alice-password' })), 200)
    assert.equal(await chunked(JSON.stringify({ userId: 'alice', password: 'x'.repeat(2_000_000) })), 413)
    assert.equal(await chunked(JSON.stringify({ userId: 'alice', password: 'alice-password' }), true), 'gone')
    assert.equal((await fetch(srv.url + '/healthz')).status, 200)
    assert.equal(undiciLoaded(), false)
  })
})
