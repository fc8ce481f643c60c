import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { afterEach, test } from 'node:test'
import { textAt } from '../../src/http/wv-csp/xml/tree.js'
import { CirClient } from '../../scripts/wv-cir.js'
import { type Version, WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'

let t: TestServer
const cirs: CirClient[] = []
afterEach(async () => {
  for (const c of cirs.splice(0)) c.close()
  await t.destroy()
})

/** a phone speaking WBXML in that version, logged in with STCP agreed, its CIR channel bound */
async function nokia(version: Version, name = 'bob'): Promise<{ phone: WvClient; cir: CirClient }> {
  const phone = new WvClient(t.url + '/imps', version, undefined, 'wbxml')
  const login = await phone.login(`wv:${name}`, `${name}-password`, { stcp: true, multiTrans: 1 })
  assert.equal(login.txs[0].code, 200, login.text)
  assert.match(login.contentType, /wbxml/)
  assert.deepEqual(phone.cir, { address: '127.0.0.1', port: t.server.cir!.port }, 'TCPAddress and TCPPort agreed')
  const cir = await CirClient.connect('127.0.0.1', phone.cir!.port)
  cirs.push(cir)
  assert.equal(await cir.hello(phone.sessionId!), 'OK')
  return { phone, cir }
}

for (const version of ['1.2', '1.1', '1.3'] as Version[]) {
  test(`a Nokia (${version} WBXML) logs in, binds CIR, alice writes from the JSON API, the phone is woken with its own SessionCookie within a second, polls, gets NewMessage in WBXML, acks`, async () => {
    t = await TestServer.start()
    const [alice] = await t.users('alice', 'bob')
    const { phone, cir } = await nokia(version)
    await alice.login()
    const started = Date.now()
    const sent = await alice.send('bob', 'Hei Bob! Kahvia?')
    assert.equal(sent.body.result.code, 200)
    assert.equal(await cir.next(1000), `WVCI ${version} ${phone.cookie}`)
    assert.ok(Date.now() - started < 1000)
    const poll = await phone.poll()
    assert.match(poll.contentType, /wbxml/)
    assert.equal(poll.bytes[1], { '1.1': 0x10, '1.2': 0x11, '1.3': 0x12 }[version], 'the answer has the request version public id')
    const [msg] = phone.take()
    assert.equal(msg.name, 'NewMessage')
    assert.equal(textAt(msg.el, 'ContentData'), 'Hei Bob! Kahvia?')
    assert.match(textAt(msg.el, 'MessageInfo', 'DateTime') ?? '', /^\d{8}T\d{6}Z$/, 'DateTime as a string')
    assert.equal((await phone.ack([msg]))!.text, '')
    assert.equal((await alice.get('/messages')).body.total, 0)
    // nothing more waits: no second wake-up; a PING is answered
    assert.equal(await cir.ping(), 'OK')
  })
}

test('a phone that never binds CIR still gets everything by polling; STCP is not agreed unless the client asks for it', async () => {
  t = await TestServer.start()
  const [alice] = await t.users('alice', 'bob')
  const phone = new WvClient(t.url + '/imps', '1.2', undefined, 'wbxml')
  await phone.login('wv:bob', 'bob-password')
  assert.equal(phone.cir, undefined)
  await alice.login()
  for (const text of ['one', 'two', 'three']) await alice.send('bob', text)
  const got: string[] = []
  for (let i = 0; i < 5 && got.length < 3; i++) {
    await phone.poll()
    const txs = phone.take()
    got.push(...txs.map((m) => textAt(m.el, 'ContentData')!))
    await phone.ack(txs)
  }
  assert.deepEqual(got, ['one', 'two', 'three'])
})

test('a bound CIR channel holds the session like an event stream; one silent past the time-to-live does not', async () => {
  t = await TestServer.start()
  await t.users('bob')
  const { phone, cir } = await nokia('1.2')
  const session = t.server.core.sessions.ofUser('bob')[0]
  t.clock.advance(700_000) // longer than the 600 s time-to-live, but the channel is open and PINGed
  assert.equal(await cir.ping(), 'OK')
  await t.server.sweep()
  assert.equal(t.server.core.sessions.ofUser('bob')[0], session, 'still alive')
  t.clock.advance(601_000) // no PING since: the channel is dead
  await t.server.sweep()
  await cir.ended()
  await t.server.sweep()
  assert.deepEqual(t.server.core.sessions.ofUser('bob'), [])
  const after = await phone.poll()
  assert.equal(after.txs[0].code, 600, 'the phone hears its session timed out')
})

test('HELO with an unknown session, junk, and a line over 1 KB close the connection; limits per address hold', async () => {
  t = await TestServer.start({ cirMaxPerAddress: 3 })
  const port = t.server.cir!.port
  for (const line of ['HELO nosuchsession\r\n', 'GET / HTTP/1.1\r\n', `HELO ${'x'.repeat(2000)}`, '\u0000\u00ff\r\n']) {
    const c = await CirClient.connect('127.0.0.1', port)
    cirs.push(c)
    c.write(line)
    await c.ended()
    assert.ok(c.closed, JSON.stringify(line.slice(0, 20)))
  }
  const held = await Promise.all([1, 2, 3].map(() => CirClient.connect('127.0.0.1', port)))
  cirs.push(...held)
  const fourth = await CirClient.connect('127.0.0.1', port)
  cirs.push(fourth)
  await fourth.ended()
  assert.equal(await held[0].ping(), 'OK', 'the first three are served')
})

test('CIR off, or its port taken: the server starts, says so in the log, and never advertises STCP', async () => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()))
  const taken = (blocker.address() as { port: number }).port
  const lines: string[] = []
  t = await TestServer.start({ cirPort: taken }, { log: (tag, event, fields) => lines.push(`${tag} ${event} ${JSON.stringify(fields)}`) })
  assert.equal(t.server.cir, undefined)
  assert.ok(lines.some((l) => l.startsWith('cir off') && l.includes('EADDRINUSE')), lines.join('\n'))
  await t.users('bob')
  const phone = new WvClient(t.url + '/imps', '1.2', undefined, 'wbxml')
  await phone.login('wv:bob', 'bob-password', { stcp: true })
  assert.equal(phone.cir, undefined)
  await t.destroy()
  blocker.close()
  t = await TestServer.start({ cirPort: 'off' })
  assert.equal(t.server.cir, undefined)
})

test('listening on every address, TCPAddress is the host the phone reached the server by; PIGEONHOLE_CIR_ADDRESS wins', async () => {
  t = await TestServer.start({ host: '0.0.0.0' })
  await t.users('bob')
  assert.equal(t.server.cir!.address, undefined)
  const phone = new WvClient(`http://127.0.0.1:${t.server.port}/imps`, '1.1', undefined, 'wbxml')
  await phone.login('wv:bob', 'bob-password', { stcp: true })
  assert.deepEqual(phone.cir, { address: '127.0.0.1', port: t.server.cir!.port })
  await t.destroy()
  t = await TestServer.start({ cirAddress: 'im.example.org' })
  await t.users('bob')
  const other = new WvClient(t.url + '/imps', '1.2', undefined, 'wbxml')
  await other.login('wv:bob', 'bob-password', { stcp: true })
  assert.equal(other.cir?.address, 'im.example.org')
})
