import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TestServer } from '../support/server.js'

describe('the seed story: alice writes to bob, who is offline, and bob picks it up later', () => {
  let srv: TestServer
  before(async () => {
    srv = await TestServer.start()
  })
  after(() => srv.destroy())

  it('alice gets a partial success with one 202 detail; bob lists, gets and confirms; the list is empty', async () => {
    const [alice, bob] = await srv.users('alice', 'bob')
    assert.equal((await alice.login()).status, 200)

    const sent = await alice.send('bob', 'Are you coming tonight?')
    assert.equal(sent.status, 200)
    assert.deepEqual(sent.body.result, {
      code: 201, text: 'Partially successful',
      details: [{ code: 202, text: 'IM accepted for offline user', users: ['bob'] }],
    })
    assert.match(sent.body.messageId, /^[\w-]{21}$/)

    const login = await bob.loginWith('pull')
    assert.equal(login.body.result.code, 200)
    assert.deepEqual(login.body.pending, { messages: 1, reports: 0 })
    assert.equal(login.body.capabilities.deliveryMethod, 'pull')

    const list = await bob.get('/messages')
    assert.equal(list.body.total, 1)
    const [info] = list.body.messages
    assert.equal(info.id, sent.body.messageId)
    assert.equal(info.sender, 'alice')
    assert.equal(info.recipient, 'bob')
    assert.equal(info.offline, true)
    assert.equal(info.size, Buffer.byteLength('Are you coming tonight?'))
    assert.equal(info.body, undefined, 'a list carries infos, not bodies')

    const got = await bob.get(`/messages/${info.id}`)
    assert.equal(got.body.message.body, 'Are you coming tonight?')
    assert.equal(got.body.message.offline, true)

    assert.equal((await bob.post(`/messages/${info.id}/delivered`)).body.result.code, 200)
    assert.equal((await bob.post(`/messages/${info.id}/delivered`)).body.result.code, 200, 'MessageDelivered is idempotent')
    const empty = await bob.get('/messages')
    assert.deepEqual([empty.body.total, empty.body.messages], [0, []])
    assert.equal((await bob.get(`/messages/${info.id}`)).body.result.code, 426)
  })

  it('a recipient who is logged in gets 200 and an online (offline: false) message', async () => {
    const [carol, dave] = await srv.users('carol', 'dave')
    await carol.login()
    await dave.loginWith('pull')
    const sent = await carol.send('dave', 'hi')
    assert.deepEqual(sent.body.result, { code: 200, text: 'Successful' })
    const list = await dave.get('/messages')
    assert.equal(list.body.messages[0].offline, false)
  })

  it('two MessageDelivered for one message at once both get 200', async () => {
    const [gina, hal] = await srv.users('gina', 'hal')
    await gina.login()
    const { body } = await gina.send('hal', 'double tap', { deliveryReport: true })
    await hal.loginWith('pull')
    const answers = await Promise.all([1, 2, 3].map(() => hal.post(`/messages/${body.messageId}/delivered`)))
    assert.deepEqual(answers.map((a) => a.body.result.code), [200, 200, 200])
    assert.equal((await gina.get('/reports')).body.reports.length, 1, 'one report, not three')
  })

  it('a rejected message leaves the store', async () => {
    const [erin, frank] = await srv.users('erin', 'frank')
    await erin.login()
    const { body } = await erin.send('frank', 'spam?')
    await frank.loginWith('pull')
    assert.equal((await frank.post(`/messages/${body.messageId}/reject`)).body.result.code, 200)
    assert.equal((await frank.get('/messages')).body.total, 0)
    assert.equal((await frank.post(`/messages/${body.messageId}/reject`)).body.result.code, 200, 'a repeated reject is answered as the first')
    assert.equal((await frank.post(`/messages/${body.messageId}/delivered`)).body.result.code, 426, 'a rejected message was not delivered')
  })
})
