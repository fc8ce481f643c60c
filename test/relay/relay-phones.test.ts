import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { textAt } from '../../src/http/wv-csp/xml/tree.js'
import { WvClient } from '../../scripts/wv.js'
import { relaysSettled, usePair } from '../support/relay.js'
import type { TestServer } from '../support/server.js'

describe('a phone on a.example and a browser user on b.example write to each other across the relay', () => {
  const pair = usePair()
  let a: TestServer
  let b: TestServer
  before(async () => {
    ;({ a, b } = pair)
    await a.users('alice')
    await b.users('bob')
  })
  const settled = () => relaysSettled(a, b)

  it("alice's phone sends to wv:bob@b.example (202 queued); bob, offline, gets it later from alice@a.example", async () => {
    const phone = new WvClient(a.url + '/imps', '1.2')
    assert.equal((await phone.login('wv:alice@a.example', 'alice-password')).txs[0].code, 200)
    const sent = await phone.send('wv:bob@b.example', 'from my Nokia')
    assert.equal(sent.txs[0].code, 201, 'partial success: accepted for a user who is not here')
    await settled()
    const bob = b.client('bob')
    await bob.loginWith('pull')
    const [m] = (await bob.get('/messages')).body.messages
    assert.equal(m.sender, 'alice@a.example')

    // bob answers; the phone polls and sees him as wv:bob@b.example, and can answer him by that id
    await bob.send('alice@a.example', 'nice phone')
    await settled()
    await phone.poll()
    const [incoming] = phone.take()
    assert.equal(incoming.name, 'NewMessage')
    assert.equal(textAt(incoming.el, 'MessageInfo', 'Sender', 'User', 'UserID'), 'wv:bob@b.example')
    assert.equal(textAt(incoming.el, 'ContentData'), 'nice phone')
  })
})
