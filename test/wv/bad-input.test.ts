import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { readAnswer, WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'

let t: TestServer
let url: string
before(async () => {
  t = await TestServer.start({ maxBodyBytes: 1024 })
  await t.users('bob')
  url = t.url + '/imps'
})
after(() => t.destroy())

const post = (body: string, contentType = 'application/vnd.wv.csp.xml') =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body }).then(async (r) => ({ status: r.status, text: await r.text(), headers: r.headers }))

/** a 400 whose body is a WV-CSP answer with Status 503 and a sentence saying why */
function refused(a: { status: number; text: string }, why: RegExp): void {
  assert.equal(a.status, 400, a.text)
  const { txs } = readAnswer(a.text)
  assert.equal(txs[0].name, 'Status')
  assert.equal(txs[0].code, 503)
  assert.match(a.text, why)
}

const V12 = 'http://www.openmobilealliance.org/DTD/WV-CSP1.2'

test('malformed XML, a root that is no WV-CSP message, an unknown namespace: HTTP 400 with a Status 503 that says why', async () => {
  refused(await post('<WV-CSP-Message><Session>'), /not WV-CSP XML/)
  refused(await post('hello'), /not WV-CSP XML/)
  refused(await post('<html xmlns="http://www.w3.org/1999/xhtml"/>'), /root element is &lt;html&gt;/)
  refused(await post('<WV-CSP-Message xmlns="urn:nope"><Session/></WV-CSP-Message>'), /names no WV-CSP version/)
  const noTx = await post(`<WV-CSP-Message xmlns="${V12}"><Session><SessionDescriptor><SessionType>Inband</SessionType><SessionID>x</SessionID></SessionDescriptor></Session></WV-CSP-Message>`)
  refused(noTx, /holds no &lt;Transaction&gt;/)
  assert.match(noTx.text, /<SessionID>x<\/SessionID>/, 'addressed as far as it could be read')
  assert.match(noTx.text, new RegExp(`xmlns="${V12}"`), 'in the version the request named')
})

test('a DTD with entities (billion laughs, XXE) is refused at once, never expanded or fetched', async () => {
  const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;">]>' +
    `<WV-CSP-Message xmlns="${V12}"><Session><Transaction><TransactionContent><Polling-Request>&lol9;</Polling-Request></TransactionContent></Transaction></Session></WV-CSP-Message>`
  const started = performance.now()
  refused(await post(lol), /DTD with declarations is not accepted/)
  assert.ok(performance.now() - started < 1000)
  const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><WV-CSP-Message xmlns="${V12}"><Session/></WV-CSP-Message>`
  const a = await post(xxe)
  refused(a, /DTD/)
  assert.doesNotMatch(a.text, /root:/)
  refused(await post(`<WV-CSP-Message xmlns="${V12}">&undefined;</WV-CSP-Message>`), /not WV-CSP XML/)
})

test('an oversized body is refused before it is read (the JSON door\'s limit), and deep nesting too', async () => {
  const limit = 1024 * 6 + 64 * 1024
  const big = await post(`<WV-CSP-Message xmlns="${V12}">${'x'.repeat(limit + 1)}</WV-CSP-Message>`)
  refused(big, /exceeds/)
  refused(await post(`<WV-CSP-Message xmlns="${V12}">${'<a>'.repeat(100)}${'</a>'.repeat(100)}</WV-CSP-Message>`), /nested deeper/)
})

test('a WBXML body that stops after its header is a 400 answered in WBXML; a GET tells a person what the URL is for', async () => {
  const w = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/vnd.wv.csp.wbxml' }, body: new Uint8Array([0x03, 0x11, 0x6a, 0x00]) })
  assert.equal(w.status, 400)
  assert.equal(w.headers.get('content-type'), 'application/vnd.wv.csp.wbxml')
  assert.deepEqual([...new Uint8Array(await w.arrayBuffer())].slice(0, 3), [0x03, 0x11, 0x6a])
  const g = await fetch(url)
  assert.equal(g.status, 200)
  assert.match(await g.text(), /WV-CSP endpoint/)
})

test('every request that parses is HTTP 200: unknown sessions get 604, groups 501, and several transactions are answered in order', async () => {
  const phone = new WvClient(url, '1.2')
  phone.sessionId = 'no-such-session'
  const dead = await phone.request('<GetList-Request/>')
  assert.equal(dead.status, 200)
  assert.equal(dead.txs[0].code, 604)
  await phone.login('bob', 'bob-password', { multiTrans: 3 })
  const group = await phone.request('<CreateGroup-Request><GroupID>wv:bob/chat</GroupID></CreateGroup-Request>')
  assert.equal(group.status, 200)
  assert.equal(group.txs[0].code, 501)
  const multi = await phone.post(phone.envelope([
    ['Request', 'a', '<KeepAlive-Request><TimeToLive>120</TimeToLive></KeepAlive-Request>'],
    ['Request', 'b', '<GetList-Request/>'],
    ['Request', 'c', '<JoinGroup-Request/>'],
  ]))
  assert.deepEqual(multi.txs.map((x) => [x.tid, x.name, x.code]), [['a', 'KeepAlive-Response', 200], ['b', 'GetList-Response', undefined], ['c', 'Status', 501]])
  assert.match(multi.text, /<\/Transaction><Poll>F<\/Poll><\/Session>/, 'from 1.2 on, Poll follows the transactions')
  // a session that timed out answers 600 (S60 then logs out); a JSON door's token is no WV-CSP session (604)
  t.clock.advance(601)
  assert.equal((await phone.request('<KeepAlive-Request/>')).txs[0].code, 600)
  const browser = t.client('bob')
  await browser.login()
  phone.sessionId = browser.token
  assert.equal((await phone.request('<GetList-Request/>')).txs[0].code, 604)
  const wrong = await new WvClient(url, '1.2').login('bob', 'not-the-password')
  assert.equal(wrong.txs[0].code, 409)
  assert.doesNotMatch(wrong.text, /<SessionID>/)
})
