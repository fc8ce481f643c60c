import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { stdoutLog } from '../../src/log.js'
import { TestServer } from '../support/server.js'

let srv: TestServer
afterEach(() => srv?.destroy())

describe('headers and logs', () => {
  it('sets security headers and a Content-Security-Policy on every answer: the page set, or the API set', async () => {
    srv = await TestServer.start()
    for (const path of ['/healthz', '/api/v1/messages', '/api/v1/nowhere', '/imps']) {
      const res = await fetch(srv.url + path)
      const api = path !== '/healthz'
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path)
      assert.equal(res.headers.get('x-frame-options'), api ? 'DENY' : 'SAMEORIGIN', path)
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", path)
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin', path)
      // tokens and message bodies: no cache may keep a copy of a protocol answer
      assert.equal(res.headers.get('cache-control'), api ? 'no-store' : null, path)
      assert.equal(res.headers.get('referrer-policy'), api ? null : 'no-referrer', path)
      if (path !== '/imps') assert.match(res.headers.get('content-type') ?? '', /application\/json/, path)
    }
  })

  it('never writes a token or a password to the log', async () => {
    const lines: string[] = []
    srv = await TestServer.start({}, { log: stdoutLog((l) => lines.push(l)) })
    const [alice] = await srv.users('alice')
    await alice.login()
    await srv.client('alice').post('/login', { userId: 'alice', password: 'wrong-password' })
    const res = await fetch(`${srv.url}/api/v1/events?access_token=${alice.token}`)
    assert.equal(res.status, 200)
    await res.body?.cancel()
    await alice.post('/logout')
    const refused = await fetch(`${srv.url}/api/v1/events?access_token=${alice.token}`)
    assert.equal(refused.status, 401)
    await new Promise((r) => setImmediate(r)) // log lines are written once per turn of the event loop
    const log = lines.join('')
    assert.ok(log.includes('GET /api/v1/events status=401'), 'the refused stream request is logged…')
    assert.ok(!log.includes(alice.token!), '…without its token')
    assert.ok(!log.includes('alice-password') && !log.includes('wrong-password'))
    assert.match(log, /login_failed user=alice/)
  })
})

describe('behind a reverse proxy', () => {
  it('X-Forwarded-* are believed only from a proxy the admin listed; HSTS only over TLS', async () => {
    const direct = await TestServer.start()
    const proxied = await TestServer.start({ trustProxy: ['127.0.0.1'] })
    try {
      const claim = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' }
      const plain = await fetch(`${direct.url}/healthz`, { headers: claim })
      assert.equal(plain.headers.get('strict-transport-security'), null, 'a client that claims TLS is not believed')
      const viaProxy = await fetch(`${proxied.url}/healthz`, { headers: claim })
      assert.equal(viaProxy.headers.get('strict-transport-security'), 'max-age=15552000; includeSubDomains')
      // the login guard counts failures by the address the trusted proxy names
      await proxied.users('alice')
      for (let i = 0; i < 20; i++) {
        await fetch(`${proxied.url}/api/v1/login`, { method: 'POST', headers: { ...claim, 'content-type': 'application/json' }, body: JSON.stringify({ userId: `u${i}`, password: 'wrong-password' }) })
      }
      const fromThatAddress = await fetch(`${proxied.url}/api/v1/login`, { method: 'POST', headers: { ...claim, 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'alice', password: 'alice-password' }) })
      assert.equal(fromThatAddress.status, 429)
      const fromAnother = await fetch(`${proxied.url}/api/v1/login`, { method: 'POST', headers: { 'x-forwarded-for': '198.51.100.2', 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'alice', password: 'alice-password' }) })
      assert.equal(fromAnother.status, 200)
    } finally {
      await direct.destroy()
      await proxied.destroy()
    }
  })
})
