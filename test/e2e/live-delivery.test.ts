import assert from 'node:assert/strict'
import { get } from 'node:http'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TestServer } from '../support/server.js'
import { eventually } from '../support/eventually.js'

describe('live delivery over the event stream', () => {
  let srv: TestServer
  beforeEach(async () => {
    srv = await TestServer.start()
  })
  afterEach(() => srv.destroy())

  it('push: three waiting messages arrive whole, in order, marked offline', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    const ids = []
    for (const text of ['one', 'two', 'three']) ids.push((await alice.send('bob', text)).body.messageId)
    await bob.loginWith('push')
    const stream = await bob.openStream()
    const events = await stream.take(3)
    assert.deepEqual(events.map((e) => e.event), ['message', 'message', 'message'])
    assert.deepEqual(events.map((e) => e.data.body), ['one', 'two', 'three'])
    assert.deepEqual(events.map((e) => e.data.id), ids)
    assert.ok(events.every((e) => e.data.offline === true && e.data.sender === 'alice'))
    for (const id of ids) assert.equal((await bob.post(`/messages/${id}/delivered`)).body.result.code, 200)
    assert.equal((await bob.get('/messages')).body.total, 0)
  })

  it('notify/get: one notification listing what waits, then the client gets each one', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    await alice.send('bob', 'first')
    await alice.send('bob', 'second')
    await bob.loginWith('notify')
    const stream = await bob.openStream()
    const note = await stream.next()
    assert.equal(note.event, 'notification')
    assert.equal(note.data.messages.length, 2)
    assert.equal(note.data.messages[0].body, undefined, 'a notification carries infos, not bodies')
    const bodies = []
    for (const info of note.data.messages) {
      bodies.push((await bob.get(`/messages/${info.id}`)).body.message.body)
      await bob.post(`/messages/${info.id}/delivered`)
    }
    assert.deepEqual(bodies, ['first', 'second'])
    // a message arriving while connected is announced the same way
    await alice.send('bob', 'third')
    const live = await stream.next()
    assert.equal(live.event, 'notification')
    assert.equal(live.data.messages[0].offline, false)
  })

  it('pull: the stream pushes nothing; the client lists for itself', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    await bob.loginWith('pull')
    await bob.send('alice', 'ping', { deliveryReport: true }) // leaves bob a report once alice confirms
    await bob.post('/logout')
    await alice.send('bob', 'waiting for you')
    const aliceList = await alice.get('/messages')
    await alice.post(`/messages/${aliceList.body.messages[0].id}/delivered`)

    await bob.loginWith('pull')
    const stream = await bob.openStream()
    // what a connect sends comes in order: messages first (none for pull), then waiting reports
    const first = await stream.next()
    assert.equal(first.event, 'report')
    assert.equal((await bob.get('/messages')).body.messages[0].body, undefined)
    assert.equal((await bob.get('/messages')).body.total, 1)
  })

  it('HEAD /events answers with the stream\'s headers and opens no stream', async () => {
    const [zed, yan] = await srv.users('zed', 'yan')
    await zed.loginWith('push')
    // the server runs in this process: the adapter reports a failed answer (headers written twice) on console.error
    const errors: unknown[] = []
    const consoleError = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    let head: Response
    try {
      head = await fetch(srv.url + '/api/v1/events', { method: 'HEAD', headers: { authorization: `Bearer ${zed.token}` } })
    } finally {
      console.error = consoleError
    }
    assert.equal(head.status, 200)
    assert.match(head.headers.get('content-type') ?? '', /^text\/event-stream/)
    assert.deepEqual(errors, [])
    assert.equal(srv.server.core.hub.sinkCount(), 0, 'no stream is attached for a HEAD')
    await yan.login()
    const sent = await yan.send('zed', 'while only a HEAD was made')
    assert.equal(sent.body.result.code, 200, 'zed is online (logged in)')
    const stream = await zed.openStream()
    const first = await stream.next()
    assert.deepEqual([first.event, first.data.body], ['message', 'while only a HEAD was made'], 'it waited for a real stream')
  })

  it('online push: 200 for the sender, the event at once, offline false', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    await bob.loginWith('push')
    const stream = await bob.openStream()
    const sent = await alice.send('bob', 'you there?')
    assert.deepEqual(sent.body.result, { code: 200, text: 'Successful' })
    const e = await stream.next()
    assert.equal(e.event, 'message')
    assert.equal(e.data.id, sent.body.messageId)
    assert.equal(e.data.offline, false)
  })

  it('a message pushed but never confirmed goes out again on the next stream, same id', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    await bob.loginWith('push')
    const first = await bob.openStream()
    const sent = await alice.send('bob', 'did you get this?')
    assert.equal((await first.next()).data.id, sent.body.messageId)
    first.close() // the network dropped before the client confirmed
    const second = await bob.openStream()
    const again = await second.next()
    assert.equal(again.data.id, sent.body.messageId)
    await bob.post(`/messages/${sent.body.messageId}/delivered`)
    second.close()
    const third = await bob.openStream()
    await alice.send('bob', 'next one')
    assert.equal((await third.next()).data.body, 'next one', 'the confirmed message is not sent again')
  })

  it('two sessions of one user both get a message; the first confirmation settles it for both', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    const phone = srv.client('bob')
    await alice.login()
    await bob.loginWith('push', { clientId: 'laptop' })
    await phone.loginWith('push', { clientId: 'phone' })
    const [s1, s2] = [await bob.openStream(), await phone.openStream()]
    const sent = await alice.send('bob', 'to all your devices')
    assert.equal((await s1.next()).data.id, sent.body.messageId)
    assert.equal((await s2.next()).data.id, sent.body.messageId)
    assert.equal((await phone.post(`/messages/${sent.body.messageId}/delivered`)).body.result.code, 200)
    assert.equal((await bob.post(`/messages/${sent.body.messageId}/delivered`)).body.result.code, 200)
    assert.equal((await bob.get('/messages')).body.total, 0)
  })

  it('logging out ends the stream with a session event; the same client id logging in again forces 601', async () => {
    const [bob] = await srv.users('bob')
    await bob.login({ clientId: 'phone' })
    const old = await bob.openStream()
    const again = srv.client('bob')
    await again.login({ clientId: 'phone' })
    const kicked = await old.next()
    assert.deepEqual([kicked.event, kicked.data.result.code], ['session', 601])
    await old.ended()
    const s = await again.openStream()
    await again.post('/logout')
    const bye = await s.next()
    assert.deepEqual([bye.event, bye.data.result.code], ['session', 200])
    await s.ended()
  })

  it('an open stream keeps its session alive past the time-to-live; without it the user goes offline', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login({ timeToLive: 3600 })
    await bob.loginWith('push', { timeToLive: 60 })
    await bob.addContact('alice') // so that alice may see his presence
    const stream = await bob.openStream()
    srv.clock.advance(600)
    assert.equal((await alice.get('/presence/bob')).body.online, true)
    assert.equal((await alice.send('bob', 'still there')).body.result.code, 200)
    await stream.next()
    stream.close()
    await eventually('the server processed the disconnect', () => srv.server.core.hub.sinkCount() === 0, 3000)
    srv.clock.advance(61)
    const presence = await alice.get('/presence/bob')
    assert.equal(presence.body.online, false)
    assert.match(presence.body.lastSeen, /^\d{4}-\d\d-\d\dT/)
    assert.equal((await alice.send('bob', 'gone?')).body.result.details[0].code, 202)
  })

  it('presence of an unknown user is 531', async () => {
    const [alice] = await srv.users('alice')
    await alice.login()
    const a = await alice.get('/presence/nobody')
    assert.deepEqual([a.status, a.body.result.code], [404, 531])
  })
})

describe('idle streams', () => {
  it('get a comment line on every heartbeat, and a browser may pass the token as ?access_token', async () => {
    const srv = await TestServer.start({}, { heartbeatMs: 30 })
    try {
      const [bob] = await srv.users('bob')
      await bob.login()
      const res = await fetch(`${srv.url}/api/v1/events?access_token=${bob.token}`)
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/)
      const reader = res.body!.getReader()
      let text = ''
      while ((text.match(/: keep-alive/g) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value)
      assert.match(text, /^: connected\n\n/)
      await reader.cancel()
    } finally {
      await srv.destroy()
    }
  })
})

describe('a client that stops reading', () => {
  it('is cut off once 4 MiB wait unread; its messages are kept and come again on the next stream', async () => {
    const srv = await TestServer.start()
    try {
      const [alice, bob] = await srv.users('alice', 'bob')
      await alice.login()
      await bob.loginWith('push')
      // a raw request whose body is never read: what the server writes piles up in its buffers
      const stalled = await new Promise<import('node:http').IncomingMessage>((resolve) =>
        get(`${srv.url}/api/v1/events`, { headers: { authorization: `Bearer ${bob.token}` } }, (res) => {
          res.pause()
          resolve(res)
        }),
      )
      await eventually('one stream is left', () => srv.server.core.hub.sinkCount() === 1, 3000)
      const big = 'x'.repeat(60_000)
      let first: string | undefined
      for (let i = 0; i < 400 && srv.server.core.hub.sinkCount() > 0; i++) {
        const sent = await alice.send('bob', big)
        first ??= sent.body.messageId
      }
      assert.equal(srv.server.core.hub.sinkCount(), 0, 'the stalled stream was closed')
      stalled.destroy()
      const again = await bob.openStream()
      assert.equal((await again.next()).data.id, first)
    } finally {
      await srv.destroy()
    }
  })
})

describe('shutdown', () => {
  it('ends 100 open streams and closes within 2 s, losing nothing', async () => {
    const srv = await TestServer.start()
    const [alice, carol] = await srv.users('alice', 'carol', 'bob')
    await alice.login()
    await carol.loginWith('push')
    const streams = []
    for (let i = 0; i < 100; i++) streams.push(await carol.openStream())
    await eventually('all 100 streams are attached', () => srv.server.core.hub.sinkCount() === 100, 3000)
    const sent = await alice.send('bob', 'kept across shutdown')
    const started = Date.now()
    await srv.server.close()
    const took = Date.now() - started
    assert.ok(took < 2000, `shutdown took ${took} ms`)
    await Promise.all(streams.map((s) => s.ended()))
    assert.ok(streams.every((s) => s.events.at(-1)?.data.result.code === 503), 'each stream heard why it ended')
    const again = await TestServer.start({}, { dataDir: srv.dataDir, clock: srv.clock })
    const bob2 = again.client('bob')
    await bob2.loginWith('pull')
    assert.equal((await bob2.get('/messages')).body.messages[0].id, sent.body.messageId)
    await again.destroy()
  })
})
