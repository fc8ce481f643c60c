import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Client } from '../support/client.js'
import { TestServer } from '../support/server.js'

/** every refusal carries the protocol code, the mapped HTTP status and a sentence naming the problem */
function refused(a: { status: number; body: any }, code: number, status: number, text: RegExp): void {
  assert.equal(a.body.result.code, code, JSON.stringify(a.body))
  assert.equal(a.status, status)
  assert.match(a.body.result.text, text)
}

describe('bad input gets its code and a sentence', () => {
  let srv: TestServer
  let alice: Client
  before(async () => {
    srv = await TestServer.start({ maxBodyBytes: 1000 })
    ;[alice] = await srv.users('alice', 'bob')
    await alice.login()
  })
  after(() => srv.destroy())

  it('malformed JSON is 400, a JSON array 400', async () => {
    refused(await alice.post('/messages', '{"to": ["bob"], "body": '), 400, 400, /not valid JSON/)
    refused(await alice.post('/messages', '[1,2]'), 400, 400, /must be a JSON object/)
  })

  it('missing and wrongly typed fields are 402 naming the field', async () => {
    refused(await alice.post('/messages', { body: 'hi' }), 402, 400, /"to" is required/)
    refused(await alice.post('/messages', { to: 'bob', body: 'hi' }), 402, 400, /"to" must be a list of strings/)
    refused(await alice.post('/messages', { to: ['bob'] }), 402, 400, /"body" is required/)
    refused(await alice.post('/messages', { to: ['bob'], body: 42 }), 402, 400, /"body" must be a string, not a number/)
    refused(await alice.post('/messages', { to: ['bob'], body: 'x', validity: 0 }), 402, 400, /"validity" must lie within 1/)
    refused(await alice.post('/messages', { to: ['bob'], body: 'x', validity: 1.5 }), 402, 400, /"validity" must be a whole number/)
    refused(await alice.post('/messages', { to: ['bob'], body: 'x', deliveryReport: 'yes' }), 402, 400, /"deliveryReport" must be true or false/)
    refused(await alice.post('/messages', { to: [], body: 'x' }), 402, 400, /1 to 50 entries/)
    refused(await alice.post('/messages', { to: ['bob', 'BOB'], body: 'x' }), 402, 400, /same user more than once/)
    refused(await alice.post('/messages', { to: ['bad id!'], body: 'x' }), 402, 400, /"to" entry "bad id!" is not a valid address/)
  })

  it('the shape is checked before anyone is looked up: 51 unknown recipients are 402, not 531', async () => {
    const to = Array.from({ length: 51 }, (_, i) => `nobody${i}`)
    refused(await alice.post('/messages', { to, body: 'x' }), 402, 400, /1 to 50 entries, got 51/)
  })

  it('a body over the limit is 413; a request far over it is 413 too', async () => {
    refused(await alice.send('bob', 'x'.repeat(1001)), 413, 413, /1001 bytes, the server takes at most 1000/)
    refused(await alice.send('bob', 'é'.repeat(501)), 413, 413, /1002 bytes/)
    refused(await alice.post('/messages', JSON.stringify({ to: ['bob'], body: 'x'.repeat(200_000) })), 413, 413, /request exceeds/)
  })

  it('a non-text content type is 415', async () => {
    refused(await alice.send('bob', 'x', { contentType: 'application/octet-stream' }), 415, 415, /send a text\/\* type/)
  })

  it('unknown routes and methods are JSON 404', async () => {
    refused(await alice.get('/nope'), 404, 404, /no GET \/api\/v1\/nope/)
    refused(await alice.call('DELETE', '/messages'), 404, 404, /no DELETE/)
  })

  it('no token, a wrong token: 604; an expired session: 600', async () => {
    const anon = srv.client('alice')
    refused(await anon.get('/messages'), 604, 401, /Invalid session/)
    anon.token = 'not-a-token'
    refused(await anon.get('/messages'), 604, 401, /Invalid session/)
    const [late] = await srv.users('late')
    await late.login({ timeToLive: 60 })
    srv.clock.advance(61)
    refused(await late.get('/messages'), 600, 401, /Session expired/)
  })

  it('a wrong password and an unknown user get the same 409', async () => {
    const wrong = await srv.client('alice').post('/login', { userId: 'alice', password: 'wrong-password' })
    const unknown = await srv.client('zed').post('/login', { userId: 'zed', password: 'whatever-pw' })
    refused(wrong, 409, 401, /Invalid password/)
    assert.deepEqual(unknown.body, wrong.body)
  })

  it('capabilities are checked field by field', async () => {
    refused(await alice.post('/capabilities', { deliveryMethod: 'carrier-pigeon' }), 402, 400, /one of push, notify, pull/)
    refused(await alice.post('/capabilities', { acceptedContentTypes: ['not a type'] }), 402, 400, /not a MIME type/)
    refused(await alice.post('/capabilities', { acceptedContentLength: -1 }), 402, 400, /acceptedContentLength/)
    refused(await alice.post('/delivery-method', {}), 402, 400, /"deliveryMethod" is required/)
  })

  it('a time-to-live out of bounds is 605 with the value in force', async () => {
    const a = await alice.post('/keepalive', { timeToLive: 5 })
    assert.equal(a.status, 200)
    assert.equal(a.body.result.code, 605)
    assert.equal(a.body.keepAliveTime, 30)
    const login = await srv.client('alice').login({ timeToLive: 999_999 })
    assert.equal(login.body.result.code, 605)
    assert.equal(login.body.keepAliveTime, 86_400)
    assert.ok(login.body.token)
  })

  it('an unknown message id is 426; a malformed one too', async () => {
    refused(await alice.get('/messages/abcdefghijklmnopqrstu'), 426, 404, /Invalid message id/)
    refused(await alice.post('/messages/abc/delivered'), 426, 404, /Invalid message id/)
    refused(await alice.post('/messages/..%2F..%2Fetc/reject'), 426, 404, /Invalid message id/)
    refused(await alice.get('/messages?limit=0'), 402, 400, /"limit"/)
  })

  it('calls without input take an empty body with or without a content type', async () => {
    const [eve] = await srv.users('eve')
    await eve.login()
    const res = await fetch(srv.url + '/api/v1/keepalive', { method: 'POST', headers: { authorization: `Bearer ${eve.token}` } })
    assert.equal((await res.json()).result.code, 200)
    const res2 = await fetch(srv.url + '/api/v1/logout', {
      method: 'POST', headers: { authorization: `Bearer ${eve.token}`, 'content-type': 'application/json' },
    })
    assert.equal((await res2.json()).result.code, 200)
    refused(await eve.get('/messages'), 604, 401, /Invalid session/)
  })

  it('registration is closed by default: 403 with a sentence', async () => {
    refused(await srv.client('x').post('/users', { userId: 'newbie', password: 'long-enough' }), 403, 403, /registration is closed/)
  })
})

describe('open registration', () => {
  it('creates an account, refuses a taken id and a short password', async () => {
    const srv = await TestServer.start({ registration: 'open' })
    try {
      const c = srv.client('newbie')
      const made = await c.post('/users', { userId: 'NewBie', password: 'long-enough' })
      assert.deepEqual(made.body, { result: { code: 200, text: 'Successful' }, userId: 'newbie' })
      refused(await c.post('/users', { userId: 'newbie', password: 'long-enough' }), 403, 403, /taken/)
      refused(await c.post('/users', { userId: 'other', password: 'short' }), 402, 400, /at least 8 characters/)
      assert.equal((await c.post('/login', { userId: 'newbie', password: 'long-enough' })).body.result.code, 200)
      // names that are also properties of every JavaScript object are ordinary user ids
      assert.equal((await c.post('/users', { userId: 'constructor', password: 'long-enough' })).body.result.code, 200)
      const sender = srv.client('newbie')
      await sender.login({ password: 'long-enough' })
      const sent = await sender.send(['constructor', 'tostring'], 'hi')
      assert.deepEqual(sent.body.result.details.map((d: { code: number }) => d.code), [202, 531])
    } finally {
      await srv.destroy()
    }
  })

  it('refuses names that would pass for the server or its operators', async () => {
    const srv = await TestServer.start({ registration: 'open' })
    try {
      for (const name of ['admin', 'Root', 'postmaster', 'system']) {
        refused(await srv.client('x').post('/users', { userId: name, password: 'long-enough' }), 403, 403, /is reserved; choose another user id/)
      }
    } finally {
      await srv.destroy()
    }
  })
})

describe('a user changes their own password', () => {
  it('with the current one; a wrong current one is 409 and counts as a failed login', async () => {
    const srv = await TestServer.start()
    try {
      const [alice] = await srv.users('alice')
      await alice.login()
      refused(await alice.post('/password', { password: 'not-my-password', newPassword: 'brand-new-secret' }), 409, 401, /Invalid password/)
      refused(await alice.post('/password', { password: 'alice-password', newPassword: 'short' }), 402, 400, /at least 8 characters/)
      assert.equal((await alice.post('/password', { password: 'alice-password', newPassword: 'brand-new-secret' })).body.result.code, 200)
      assert.equal((await alice.login()).body.result.code, 409, 'the old password no longer works')
      assert.equal((await alice.login({ password: 'brand-new-secret' })).body.result.code, 200)
    } finally {
      await srv.destroy()
    }
  })
})
