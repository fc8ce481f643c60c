import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { TestServer } from '../support/server.js'

/** The two use cases of the offline-messaging contribution, told as conversations. */
describe('the contribution’s use cases', () => {
  let srv: TestServer
  afterEach(() => srv.destroy())

  it('1. bob is online when alice starts writing; his battery dies; alice hears "accepted for offline user"; bob logs back in, gets it and replies', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login({ timeToLive: 3600 })
    await bob.loginWith('push', { timeToLive: 60 })
    await bob.addContact('alice') // bob lets alice see his presence
    // alice looks at bob's presence: he is online
    assert.equal((await alice.get('/presence/bob')).body.online, true)
    // bob's phone dies: no logout, no more requests; a minute later his session has lived out its time-to-live
    srv.clock.advance(61)
    const sent = await alice.send('bob', 'Dinner at eight?')
    assert.deepEqual(sent.body.result, {
      code: 201, text: 'Partially successful',
      details: [{ code: 202, text: 'IM accepted for offline user', users: ['bob'] }],
    })
    // bob's old token is dead
    assert.equal((await bob.get('/messages')).body.result.code, 600)
    // bob charges his phone and logs in again: the message is pushed, marked as delivered offline
    const login = await bob.loginWith('push')
    assert.equal(login.body.pending.messages, 1)
    const stream = await bob.openStream()
    const e = await stream.next()
    assert.deepEqual([e.event, e.data.id, e.data.body, e.data.offline], ['message', sent.body.messageId, 'Dinner at eight?', true])
    await bob.post(`/messages/${e.data.id}/delivered`)
    // and replies: alice is online, so this one is a plain success
    const reply = await bob.send('alice', 'Yes! See you there.')
    assert.deepEqual(reply.body.result, { code: 200, text: 'Successful' })
    const inbox = await alice.get('/messages')
    assert.deepEqual(inbox.body.messages.map((m: { sender: string; offline: boolean }) => [m.sender, m.offline]), [['bob', false]])
  })

  it('2. alice writes to bob, who is offline; when bob logs in, the server notifies him and he gets each message', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    const first = await alice.send('bob', 'Are you there?')
    const second = await alice.send('bob', 'Call me when you are back.')
    assert.equal(first.body.result.details[0].code, 202)
    // bob's client negotiated notify/get: on login, one notification lists what waits
    await bob.loginWith('notify')
    const stream = await bob.openStream()
    const note = await stream.next()
    assert.equal(note.event, 'notification')
    assert.deepEqual(note.data.messages.map((m: { id: string }) => m.id), [first.body.messageId, second.body.messageId])
    assert.ok(note.data.messages.every((m: { offline: boolean }) => m.offline))
    for (const info of note.data.messages) {
      const got = await bob.get(`/messages/${info.id}`)
      assert.equal(got.body.message.sender, 'alice')
      assert.equal((await bob.post(`/messages/${info.id}/delivered`)).body.result.code, 200)
    }
    assert.equal((await bob.get('/messages')).body.total, 0, 'bob lost nothing, and nothing is left over')
  })
})
