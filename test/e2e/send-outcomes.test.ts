import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Client } from '../support/client.js'
import { setUserDisabled } from '../../src/core/admin.js'
import { TestServer } from '../support/server.js'

describe('SendMessage outcomes, recipient by recipient', () => {
  let srv: TestServer
  let alice: Client, bob: Client, carol: Client, dave: Client
  before(async () => {
    srv = await TestServer.start()
    ;[alice, bob, carol, dave] = await srv.users('alice', 'bob', 'carol', 'dave')
    await alice.login()
    await bob.loginWith('pull')
  })
  after(() => srv.destroy())

  it('online + offline + unknown: 201, with a 202 and a 531 detail', async () => {
    const sent = await alice.send(['bob', 'carol', 'zoe'], 'party at 8')
    assert.equal(sent.status, 200)
    assert.deepEqual(sent.body.result, {
      code: 201, text: 'Partially successful',
      details: [
        { code: 202, text: 'IM accepted for offline user', users: ['carol'] },
        { code: 531, text: 'Unknown user', users: ['zoe'] },
      ],
    })
    assert.ok(sent.body.messageId)
    await carol.loginWith('pull')
    const [bobs, carols] = [await bob.get('/messages'), await carol.get('/messages')]
    assert.equal(bobs.body.messages[0].id, sent.body.messageId, 'one id names the message for every recipient')
    assert.equal(carols.body.messages[0].id, sent.body.messageId)
    assert.deepEqual([bobs.body.messages[0].offline, carols.body.messages[0].offline], [false, true])
    await carol.post('/logout')
  })

  it('every recipient unknown: the shared failure code, HTTP 404, nothing stored', async () => {
    const sent = await alice.send(['zoe', 'yan'], 'hello?')
    assert.equal(sent.status, 404)
    assert.equal(sent.body.result.code, 531)
    assert.deepEqual(sent.body.result.details, [{ code: 531, text: 'Unknown user', users: ['zoe', 'yan'] }])
    assert.equal(sent.body.messageId, undefined)
  })

  it('different failures and no success: 900 Multiple errors', async () => {
    const sender = srv.client('dave')
    await sender.login({ capabilities: { offlineMessaging: false } })
    const sent = await sender.send(['zoe', 'carol'], 'hi')
    assert.equal(sent.status, 400)
    assert.equal(sent.body.result.code, 900)
    assert.deepEqual(sent.body.result.details.map((d: { code: number }) => d.code).sort(), [531, 533])
  })

  it('a sender that agreed offlineMessaging: false gets 533 and nothing is stored', async () => {
    const login = await dave.login({ capabilities: { offlineMessaging: false } })
    assert.equal(login.body.capabilities.offlineMessaging, false)
    const before = (await srv.server.core.store.usage(['carol']))[0].inbox.messages
    const sent = await dave.send('carol', 'are you there?')
    assert.equal(sent.status, 409)
    assert.deepEqual(sent.body.result, {
      code: 533, text: 'Message recipient not logged in',
      details: [{ code: 533, text: 'Message recipient not logged in', users: ['carol'] }],
    })
    assert.equal((await srv.server.core.store.usage(['carol']))[0].inbox.messages, before)
  })

  it('the recipient’s clients decide: 415 when none takes the type, 413 when none takes the size', async () => {
    const [picky] = await srv.users('picky')
    await picky.login({ capabilities: { acceptedContentTypes: ['text/plain'], acceptedContentLength: 10 } })
    const html = await alice.send('picky', '<b>hi</b>', { contentType: 'text/html' })
    assert.equal(html.body.result.code, 415)
    const long = await alice.send('picky', 'far more than ten bytes')
    assert.equal(long.body.result.code, 413)
    const ok = await alice.send('picky', 'short')
    assert.equal(ok.body.result.code, 200)
  })

  it('upper-case ids are lower-cased; sending to yourself works', async () => {
    const sent = await alice.send(['BOB', 'alice'], 'case')
    assert.deepEqual(sent.body.result, { code: 200, text: 'Successful' }, 'both are logged in')
    const list = await alice.get('/messages')
    assert.equal(list.body.messages.at(-1).recipient, 'alice')
  })
})

describe('offline messaging switched off on the server', () => {
  it('answers 533 for every offline recipient and agrees offlineMessaging: false', async () => {
    const srv = await TestServer.start({ offline: false })
    try {
      const [alice] = await srv.users('alice', 'bob')
      const login = await alice.login({ capabilities: { offlineMessaging: true } })
      assert.equal(login.body.capabilities.offlineMessaging, false)
      const sent = await alice.send('bob', 'hi')
      assert.equal(sent.body.result.code, 533)
      assert.equal((await srv.server.core.store.stats()).messages, 0)
    } finally {
      await srv.destroy()
    }
  })
})

describe('a disabled account', () => {
  it('is written to as if it did not exist (531), so nothing piles up for it; enabled again, it takes messages', async () => {
    const srv = await TestServer.start()
    try {
      const [alice] = await srv.users('alice', 'bob')
      await alice.login()
      await setUserDisabled(srv.server.core, 'bob', true)
      const refused = await alice.send('bob', 'anyone there?')
      assert.deepEqual([refused.status, refused.body.result.code, refused.body.messageId], [404, 531, undefined])
      assert.equal((await srv.server.core.store.stats()).messages, 0)
      await setUserDisabled(srv.server.core, 'bob', false)
      assert.equal((await alice.send('bob', 'welcome back')).body.result.details[0].code, 202)
    } finally {
      await srv.destroy()
    }
  })
})
