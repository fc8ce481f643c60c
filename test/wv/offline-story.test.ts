import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import { textAt } from '../../src/http/wv-csp/xml/tree.js'
import { WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'

let t: TestServer
afterEach(() => t.destroy())

const phoneOf = (name = 'bob', version: '1.1' | '1.2' | '1.3' = '1.2') => new WvClient(t.url + '/imps', version)

test("alice in the browser writes to bob while his phone is off; he logs in, polls, gets NewMessage, acks; alice gets her 200 report", async () => {
  t = await TestServer.start()
  const [alice] = await t.users('alice', 'bob')
  await alice.login()
  const stream = await alice.openStream()
  const sent = await alice.send('bob', 'Are you coming tonight? <3 & more', { deliveryReport: true })
  assert.equal(sent.body.result.code, 201)
  const sentAt = t.clock.now()

  t.clock.advance(3600) // an hour later bob switches his phone on
  const phone = phoneOf()
  const login = await phone.login('wv:bob', 'bob-password', { multiTrans: 1 })
  assert.equal(login.txs[0].code, 200)
  assert.deepEqual(t.server.core.sessions.ofUser('bob').map((s) => s.door), ['wv-csp'], 'the dashboard and metrics see the door')
  const poll = await phone.poll()
  const [msg] = phone.take()
  assert.equal(msg.name, 'NewMessage')
  assert.equal(msg.mode, 'Request')
  assert.match(msg.tid, /^s/, 'a fresh server TransactionID')
  assert.equal(textAt(msg.el, 'ContentData'), 'Are you coming tonight? <3 & more')
  assert.equal(textAt(msg.el, 'MessageInfo', 'Sender', 'User', 'UserID'), 'wv:alice')
  assert.equal(textAt(msg.el, 'MessageInfo', 'DateTime'), new Date(sentAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''), 'the original send time, as a string')
  assert.equal(poll.poll, false, 'nothing more waits')
  const ack = await phone.ack([msg])
  assert.equal(ack!.text, '', 'a MessageDelivered needs no answer')

  const report = await stream.next()
  assert.equal(report.event, 'report')
  assert.equal(report.data.result.code, 200)
  assert.equal(report.data.recipient, 'bob')
  assert.equal((await alice.get('/messages')).body.total, 0)

  // and back: bob's phone writes to alice, who is online in the browser
  const back = await phone.send('wv:alice', 'Yes, at eight')
  assert.equal(back.txs[0].code, 200)
  const message = await stream.next()
  assert.equal(message.event, 'message')
  assert.equal(message.data.body, 'Yes, at eight')
  assert.equal(message.data.sender, 'bob')
})

test('a sender on a phone gets the DeliveryReport-Request it asked for, and its Status acknowledges it', async () => {
  t = await TestServer.start({ domain: 'example.org' })
  const [, bob] = await t.users('alice', 'bob')
  const phone = new WvClient(t.url + '/imps', '1.3')
  await phone.login('alice@example.org', 'alice-password')
  const sent = await phone.send('wv:bob@example.org', 'ping', { report: true })
  assert.equal(sent.txs[0].code, 201)
  assert.match(sent.text, /<UserID>wv:bob@example.org<\/UserID>/)
  assert.match(sent.contentType, /^application\/vnd\.wv\.csp\+xml/)
  await bob.loginWith('pull')
  const id = (await bob.get('/messages')).body.messages[0].id
  await bob.post(`/messages/${id}/delivered`)
  await phone.poll()
  const [report] = phone.take()
  assert.equal(report.name, 'DeliveryReport-Request')
  assert.equal(report.code, 200)
  assert.equal(textAt(report.el, 'MessageInfo', 'MessageID'), id)
  assert.equal(textAt(report.el, 'MessageInfo', 'Recipient', 'User', 'UserID'), 'wv:bob@example.org')
  assert.match(textAt(report.el, 'DeliveryTime')!, /^\d{8}T\d{6}Z$/)
  await phone.ack([report])
  const alice = t.client('alice')
  await alice.login()
  assert.deepEqual((await alice.get('/reports')).body.reports, [], 'acknowledged by the phone: gone')
})

test('block lists, quotas and validity behave the same whichever door each side uses', async () => {
  t = await TestServer.start({ inboxMaxMessages: 2 })
  const [alice, , carol] = await t.users('alice', 'bob', 'carol')
  const phone = phoneOf()
  await phone.login('bob', 'bob-password')
  // bob's phone blocks carol; carol in the browser gets 532, and so does a phone
  const block = await phone.request('<BlockEntity-Request><BlockList><InUse>T</InUse><AddList><UserID>wv:carol</UserID></AddList></BlockList></BlockEntity-Request>')
  assert.equal(block.txs[0].code, 200)
  await carol.login()
  assert.equal((await carol.send('bob', 'hi')).body.result.details[0].code, 532)
  const list = await phone.request('<GetBlockedList-Request/>')
  assert.match(list.text, /<BlockList><InUse>T<\/InUse><EntityList><UserID>wv:carol<\/UserID><\/EntityList><\/BlockList>/)
  // alice (JSON) fills carol's offline store (quota 2); a phone's send then meets the same 410
  await phone.logout()
  await carol.post('/logout')
  await alice.login()
  assert.equal((await alice.send('carol', 'one')).body.result.code, 201)
  assert.equal((await alice.send('carol', 'two')).body.result.code, 201)
  const phone2 = phoneOf()
  await phone2.login('bob', 'bob-password')
  const full = await phone2.send('carol', 'three')
  assert.equal(full.txs[0].code, 410)
  assert.match(full.text, /<DetailedResult><Code>410<\/Code>.*<UserID>wv:carol<\/UserID>/)
  // validity: a message from the phone that nobody reads expires, and the phone hears 542
  const sent = await phone2.request(phone2.sendXml(['alice'], 'soon gone', { report: true }).replace('</Recipient>', '</Recipient><Validity>60</Validity>'))
  await alice.post('/logout')
  assert.equal(sent.txs[0].code, 200, 'alice was online')
  t.clock.advance(61)
  await phone2.request('<KeepAlive-Request/>')
  await t.server.sweep()
  await phone2.poll()
  const reports = phone2.take().filter((x) => x.name === 'DeliveryReport-Request')
  assert.equal(reports[0]?.code, 542)
})

test('a phone that asked for notify/get gets a MessageNotification, then GetMessage, and GetMessageList works alike', async () => {
  t = await TestServer.start()
  const [alice] = await t.users('alice', 'bob')
  await alice.login()
  await alice.send('bob', 'first')
  await alice.send('bob', 'second')
  const phone = phoneOf('bob', '1.1')
  await phone.login('bob', 'bob-password', { method: 'N', multiTrans: 5 })
  await phone.poll()
  const notes = phone.take()
  assert.deepEqual(notes.map((n) => n.name), ['MessageNotification', 'MessageNotification'])
  const id = textAt(notes[0].el, 'MessageInfo', 'MessageID')!
  const got = await phone.request(`<GetMessage-Request><MessageID>${id}</MessageID></GetMessage-Request>`)
  assert.equal(textAt(got.txs[0].el, 'ContentData'), 'first')
  const listed = await phone.request('<GetMessageList-Request/>')
  assert.equal(listed.txs[0].el.children.length, 2)
  const rejected = await phone.request(`<RejectMessage-Request><MessageID>${id}</MessageID></RejectMessage-Request>`)
  assert.equal(rejected.txs[0].code, 200)
  assert.equal((await phone.request('<GetMessageList-Request/>')).txs[0].el.children.length, 1)
  // switching to push offers what waits as NewMessage
  assert.equal((await phone.request('<SetDeliveryMethod-Request><DeliveryMethod>P</DeliveryMethod></SetDeliveryMethod-Request>')).txs[0].code, 200)
  await phone.poll()
  assert.deepEqual(phone.take().map((n) => [n.name, textAt(n.el, 'ContentData')]), [['NewMessage', 'second']])
})

test('a phone that lost the answer carrying a NewMessage (it never confirms) is offered it again a minute later; once confirmed, never again', async () => {
  t = await TestServer.start()
  const [alice] = await t.users('alice', 'bob')
  await alice.login()
  const phone = phoneOf()
  await phone.login('wv:bob', 'bob-password')
  phone.take()
  await alice.send('bob', 'did you get this?')
  const first = await phone.poll()
  assert.deepEqual(first.txs.map((x) => x.name), ['NewMessage'])
  phone.take() // …and the answer is lost on the way: no MessageDelivered

  t.clock.advance(30)
  assert.deepEqual((await phone.poll()).txs.map((x) => x.name), [], 'not yet: the phone may still be confirming it')
  t.clock.advance(31)
  const again = await phone.poll()
  assert.deepEqual(again.txs.map((x) => x.name), ['NewMessage'], 'a minute on, it comes again')
  assert.equal(textAt(again.txs[0].el, 'ContentData'), 'did you get this?')
  await phone.ack(phone.take())
  t.clock.advance(120)
  assert.deepEqual((await phone.poll()).txs.map((x) => x.name), [], 'confirmed: it has left the server')
})
