import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import { child, textAt } from '../../src/http/wv-csp/xml/tree.js'
import { type Tx, WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'

let t: TestServer
afterEach(() => t.destroy())

/** what a PresenceNotification-Request says of one user: [online, availability, status text] */
function seen(txs: Tx[], userId: string): Array<[string?, string?, string?]> {
  return txs.filter((x) => x.name === 'PresenceNotification-Request').flatMap((x) => x.el.children)
    .filter((p) => textAt(p, 'UserID') === userId)
    .map((p) => {
      const list = child(p, 'PresenceSubList')
      return [textAt(list, 'OnlineStatus', 'PresenceValue'), textAt(list, 'UserAvailability', 'PresenceValue'), textAt(list, 'StatusText', 'PresenceValue')]
    })
}

test('presence changes reach a polling phone: log in, update, log out; and what the phone publishes reaches the browser', async () => {
  t = await TestServer.start()
  const [alice] = await t.users('alice', 'bob')
  // alice lets bob see her (she has him in her list); bob's phone has her in its default list
  await alice.login()
  await alice.addContact('bob', 'Bob')
  await alice.post('/logout')
  const phone = new WvClient(t.url + '/imps', '1.2')
  await phone.login('bob', 'bob-password', { multiTrans: 10 })
  const added = await phone.request('<ListManage-Request><ContactList>wv:bob/Default</ContactList><AddNickList><NickName><Name>Alice</Name><UserID>wv:alice</UserID></NickName></AddNickList><ReceiveList>T</ReceiveList></ListManage-Request>')
  assert.match(added.text, /<NickList><NickName><Name>Alice<\/Name><UserID>wv:alice<\/UserID><\/NickName><\/NickList>/)
  const sub = await phone.request('<SubscribePresence-Request><ContactList>wv:bob/Default</ContactList><AutoSubscribe>T</AutoSubscribe></SubscribePresence-Request>')
  assert.equal(sub.txs[0].code, 200)
  await phone.poll()
  let got = phone.take()
  assert.deepEqual(seen(got, 'wv:alice'), [['F', 'NOT_AVAILABLE', undefined]], 'the current state at once')
  await phone.ack(got)

  await alice.login()
  await alice.post('/presence', { availability: 'DISCREET', statusText: 'in a meeting' })
  await phone.poll()
  got = phone.take()
  assert.deepEqual(seen(got, 'wv:alice').at(-1), ['T', 'DISCREET', 'in a meeting'])
  assert.ok(got.every((x) => /^s/.test(x.tid)) && new Set(got.map((x) => x.tid)).size === got.length, 'each in a fresh server TID')
  await phone.ack(got)

  await alice.post('/logout')
  await phone.poll()
  assert.deepEqual(seen(phone.take(), 'wv:alice').at(-1), ['F', 'NOT_AVAILABLE', undefined])

  // the phone publishes (OnlineStatus is ignored: the server knows bob is logged in); the browser reads it
  const upd = await phone.request(`<UpdatePresence-Request><PresenceSubList xmlns="${phone.pa}"><OnlineStatus><Qualifier>T</Qualifier><PresenceValue>F</PresenceValue></OnlineStatus><UserAvailability><Qualifier>T</Qualifier><PresenceValue>NOT_AVAILABLE</PresenceValue></UserAvailability><StatusText><Qualifier>T</Qualifier><PresenceValue>${'x'.repeat(50)}</PresenceValue></StatusText></PresenceSubList></UpdatePresence-Request>`)
  assert.equal(upd.txs[0].code, 200)
  await phone.request('<ListManage-Request><ContactList>wv:bob/Default</ContactList></ListManage-Request>')
  await alice.login()
  const view = (await alice.get('/presence/bob')).body
  assert.equal(view.online, true)
  assert.equal(view.availability, 'NOT_AVAILABLE')
  assert.equal(view.statusText, 'x'.repeat(40), 'cut to the 40 characters phones show')

  // GetPresence of the phone's own id answers with a Presence (AOSP needs it)
  const own = await phone.request('<GetPresence-Request><User><UserID>wv:bob</UserID></User></GetPresence-Request>')
  assert.equal(own.txs[0].code, 200)
  assert.equal(textAt(own.txs[0].el, 'Presence', 'UserID'), 'wv:bob')
})
