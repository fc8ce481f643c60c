import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { textAt } from '../../src/http/wv-csp/xml/tree.js'
import { WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'
import { razrCaptures, withSession } from './vectors.js'

let t: TestServer
before(async () => {
  t = await TestServer.start({ domain: 'dark.com' })
  await t.users('bob', 'alice')
})
after(() => t.destroy())

/** the capture's people and domains, as this server's: renge is bob (with a real password), bright is alice */
const cast = (doc: string) =>
  doc.replace(/renge4?\.net|iv\.renge4\.net/g, 'dark.com').replace(/renge/g, 'bob').replace(/bright/g, 'alice')
    .replace('<Password>lol</Password>', '<Password>bob-password</Password>')

test("bob's Razr logs in with the captured sequence (interVillage rand.xml, CSP 1.1) and every step succeeds", async () => {
  const docs = razrCaptures().map(cast)
  assert.equal(docs.length, 16, 'the capture holds 16 requests')
  const phone = new WvClient(t.url + '/imps', '1.1')
  const login = docs[0]
  let sessionId: string | undefined
  const seen: string[] = []
  for (const doc of docs) {
    const isLogin = doc.includes('<Login-Request>')
    // the capture logs out in the middle (TID 6); the phone logs in again before its next request, as it would
    if (!isLogin && !sessionId) sessionId = await logIn(phone, login)
    const reply = await phone.post(isLogin ? doc : withSession(doc, sessionId!))
    assert.equal(reply.status, 200)
    assert.match(reply.contentType, /^application\/vnd\.wv\.csp\.xml/)
    const tid = /<TransactionID>([^<]*)</.exec(doc)![1]
    const answer = reply.txs.find((x) => x.mode === 'Response')!
    assert.equal(answer.tid, tid, 'the TransactionID is echoed')
    seen.push(answer.name)
    if (answer.code !== undefined) assert.ok(answer.code === 200 || answer.code === 201, `${answer.name} answered ${answer.code}: ${reply.text}`)
    if (isLogin) sessionId = textAt(answer.el, 'SessionID')
    if (answer.name === 'Disconnect') sessionId = undefined
    if (answer.name === 'GetList-Response') assert.equal(answer.code, undefined, 'GetList-Response carries no Result')
    if (answer.name === 'ListManage-Response') assert.ok(answer.el.children.some((c) => c.name === 'NickList'), 'the Razr gets its NickList back')
    if (answer.name === 'SendMessage-Response') {
      // alice is not logged in: 201 with a DetailedResult 202 naming her
      assert.equal(answer.code, 201)
      assert.match(reply.text, /<DetailedResult><Code>202<\/Code><Description>IM accepted for offline user<\/Description><UserID>wv:alice@dark.com<\/UserID>/)
    }
    if (answer.name === 'KeepAlive-Response') assert.equal(textAt(answer.el, 'KeepAliveTime'), '30', 'TimeToLive 10 is raised to the least allowed')
  }
  assert.deepEqual(seen, [
    'Login-Response', 'ClientCapability-Response', 'Service-Response', 'GetList-Response', 'ListManage-Response', 'Disconnect',
    'Status', 'SendMessage-Response', 'Status', 'Status', 'Status', 'Status', 'GetPresence-Response', 'KeepAlive-Response', 'Status', 'Status',
  ])
  // the Razr's message waits for alice, whichever door she comes through
  const alice = t.client('alice')
  await alice.loginWith('pull')
  const list = await alice.get('/messages')
  assert.deepEqual(list.body.messages.map((m: { sender: string; offline: boolean }) => [m.sender, m.offline]), [['bob', true]])
  assert.equal((await alice.get(`/messages/${list.body.messages[0].id}`)).body.message.body, 'Test zpravy')
  // and its block list is the one the JSON door edits
  const bob = t.client('bob')
  await bob.login()
  assert.deepEqual((await bob.get('/blocklist')).body.block, { inUse: true, users: ['reimu'] })
})

async function logIn(phone: WvClient, login: string): Promise<string> {
  const reply = await phone.post(login)
  return textAt(reply.txs[0].el, 'SessionID')!
}
