import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import type { EventStream } from '../support/sse.js'
import { TestServer } from '../support/server.js'

/** the next `presence` event's states, as [user, online, availability?, statusText?] */
async function nextPresence(stream: EventStream) {
  const e = await stream.next()
  assert.equal(e.event, 'presence')
  return e.data.presence.map((p: { userId: string; online: boolean; availability?: string; statusText?: string }) =>
    [p.userId, p.online, p.availability, p.statusText].filter((x) => x !== undefined))
}

describe('presence between contacts (PROTOCOL.md 8)', () => {
  let srv: TestServer
  afterEach(() => srv.destroy())

  it('alice subscribes to bob, who keeps her in his contacts: she hears him log in, go busy with a status, and log out', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    await bob.login()
    await bob.addContact('alice', 'Alice')
    await bob.post('/logout')
    await alice.loginWith('push')
    const stream = await alice.openStream()
    const subscribed = await alice.post('/presence/subscribe', { users: ['bob'] })
    assert.deepEqual(subscribed.body.presence.map((p: { online: boolean }) => p.online), [false], 'the current state comes back at once…')
    assert.deepEqual(await nextPresence(stream), [['bob', false]], '…and on the stream')
    await bob.login()
    assert.deepEqual(await nextPresence(stream), [['bob', true, 'AVAILABLE', '']])
    await bob.post('/presence', { availability: 'DISCREET', statusText: 'in a meeting' })
    assert.deepEqual(await nextPresence(stream), [['bob', true, 'DISCREET', 'in a meeting']])
    await bob.post('/logout')
    assert.deepEqual(await nextPresence(stream), [['bob', false]])
  })

  it('bob\'s phone dies: after his time-to-live the sweep takes him offline, and alice hears it', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    await bob.login({ timeToLive: 60 })
    await bob.addContact('alice')
    await alice.login({ timeToLive: 3600 })
    const stream = await alice.openStream()
    await alice.post('/presence/subscribe', { users: ['bob'] })
    assert.deepEqual(await nextPresence(stream), [['bob', true, 'AVAILABLE', '']])
    srv.clock.advance(61)
    await srv.server.sweep()
    assert.deepEqual(await nextPresence(stream), [['bob', false]])
  })

  it('only contacts see presence: a stranger reads bob as offline with no last-seen, a contact bob blocks does too', async () => {
    srv = await TestServer.start()
    const [alice, bob, carol] = await srv.users('alice', 'bob', 'carol')
    await bob.login()
    await bob.addContact('alice')
    await bob.addContact('carol')
    await alice.login()
    await carol.login()
    assert.equal((await alice.get('/presence/bob')).body.online, true)
    await bob.post('/blocklist', { block: { inUse: true, add: ['carol'] } })
    const toCarol = await carol.get('/presence/bob')
    assert.deepEqual([toCarol.body.online, toCarol.body.lastSeen], [false, null])
    await bob.post('/contacts/lists/default', { remove: ['alice'] })
    assert.equal((await alice.get('/presence/bob')).body.online, false)
    const own = await bob.get('/presence/bob')
    assert.equal(own.body.online, true, 'a user always sees themselves')
  })

  it('on an intranet (PIGEONHOLE_PRESENCE=all) everyone sees everyone not blocked', async () => {
    srv = await TestServer.start({ presence: 'all' })
    const [alice, bob] = await srv.users('alice', 'bob')
    await bob.login()
    await alice.login()
    const many = await alice.get('/presence?users=bob,alice,nobody')
    assert.deepEqual(many.body.presence.map((p: { userId: string; online: boolean }) => [p.userId, p.online]), [['bob', true], ['alice', true]])
  })

  it('a status text over 40 characters, or an unknown availability, is refused with 402', async () => {
    srv = await TestServer.start()
    const [bob] = await srv.users('bob')
    await bob.login()
    assert.equal((await bob.post('/presence', { statusText: 'x'.repeat(41) })).body.result.code, 402)
    assert.equal((await bob.post('/presence', { availability: 'ASLEEP' })).body.result.code, 402)
    assert.equal((await bob.post('/presence', { statusText: 'é'.repeat(40) })).body.result.code, 200)
  })
})

describe('contact lists', () => {
  let srv: TestServer
  afterEach(() => srv.destroy())

  it('bob gets a Default list on first use, makes a work list the default, manages nicknames, deletes a list', async () => {
    srv = await TestServer.start()
    const [, , bob] = await srv.users('alice', 'carol', 'bob')
    await bob.login()
    assert.deepEqual((await bob.get('/contacts')).body.lists, [{ name: 'default', displayName: 'Default', default: true, contacts: [] }])
    const work = await bob.post('/contacts/lists', { name: 'Work', displayName: 'Work people', default: true, contacts: [{ userId: 'Carol', nickname: 'Caz' }] })
    assert.deepEqual(work.body.list, { name: 'work', displayName: 'Work people', default: true, contacts: [{ userId: 'carol', nickname: 'Caz' }] })
    await bob.post('/contacts/lists/work', { add: [{ userId: 'alice' }, { userId: 'carol', nickname: 'Carol W.' }] })
    const lists = (await bob.get('/contacts')).body.lists
    assert.deepEqual(lists.map((l: { name: string; default: boolean }) => [l.name, l.default]), [['default', false], ['work', true]])
    assert.deepEqual(lists[1].contacts, [{ userId: 'carol', nickname: 'Carol W.' }, { userId: 'alice', nickname: 'alice' }])
    assert.equal((await bob.call('DELETE', '/contacts/lists/work')).body.result.code, 200)
    assert.deepEqual((await bob.get('/contacts')).body.lists.map((l: { name: string; default: boolean }) => [l.name, l.default]), [['default', true]])
  })

  it('refuses clearly: an unknown list is 404, a taken name 403, a bad name or contact 402', async () => {
    srv = await TestServer.start()
    const [bob] = await srv.users('bob')
    await bob.login()
    const codes = async (p: Promise<{ body: { result: { code: number; text: string } } }>) => (await p).body.result
    assert.equal((await codes(bob.post('/contacts/lists/nope', { add: [{ userId: 'alice' }] }))).code, 404)
    await bob.post('/contacts/lists', { name: 'friends' })
    assert.match((await codes(bob.post('/contacts/lists', { name: 'friends' }))).text, /exists already/)
    assert.equal((await codes(bob.post('/contacts/lists', { name: 'no spaces!' }))).code, 402)
    assert.equal((await codes(bob.post('/contacts/lists/friends', { add: [{ nickname: 'who?' }] }))).code, 402)
  })
})
