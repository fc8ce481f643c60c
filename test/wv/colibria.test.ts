import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { textAt } from '../../src/http/wv-csp/xml/tree.js'
import { WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'
import { vectorDir, vectorFile } from './vectors.js'

const ME = '600000001'
const CONTACT = '600000002'

let t: TestServer
before(async () => {
  t = await TestServer.start({ domain: 'movistar.es' })
  await t.users(ME, CONTACT, '600000003')
})
after(() => t.destroy())

/** Colibria logs in outside WV-CSP (a form POST); here the same user logs in with a 1.2 Login-Request */
async function colibria(user: string): Promise<WvClient> {
  const c = new WvClient(t.url + '/imps', '1.2')
  const r = await c.request(`<Login-Request><UserID>wv:${user}@movistar.es</UserID><ClientID><URL>WV:InstantMessenger-1.0.2309.16485@COLIBRIA.PC-CLIENT</URL></ClientID><Password>${user}-password</Password><SessionCookie>ColibriaIMPS_367918656</SessionCookie></Login-Request>`)
  c.sessionId = textAt(r.txs[0].el, 'SessionID')
  assert.ok(c.sessionId)
  return c
}

/** the placeholders filled as SMS20API.py fills them (CONTACT is a bare number in 11–14, a full id elsewhere) */
function fill(file: string, body: string, sessionId: string, tid: number, user = ME): string {
  const n = Number(file.slice(0, 2))
  return body.replaceAll('SESSION_ID', sessionId).replaceAll('TRANSACTION_ID', String(tid)).replaceAll('USER_ID', user)
    .replaceAll('CONTACT', n >= 11 && n <= 14 ? CONTACT : `wv:${CONTACT}@movistar.es`)
    .replaceAll('NICKNAME', 'Pepa').replaceAll('MESSAGE_TEXT', 'hola')
}

test('each Colibria 1.2 request body, sent in the client\'s order, gets a well-formed, non-error answer', async () => {
  const files = vectorDir('colibria-1.2').filter((f) => f.endsWith('.xml'))
  assert.equal(files.length, 25)
  const client = await colibria(ME)
  // the operator's server provisions the private list; here it is created first, as a client would
  const pre = await client.request(`<CreateList-Request><ContactList>wv:${ME}/~pep1.0_privatelist@movistar.es</ContactList></CreateList-Request>`)
  assert.equal(pre.txs[0].code, 200)
  let tid = 100
  for (const file of files) {
    // 07b is the other form of 07 (sent when the list is empty): a second client sends it, else it would meet 07's list
    const other = file.startsWith('07b')
    const c = other ? await colibria('600000003') : client
    const body = fill(file, vectorFile('colibria-1.2', file), c.sessionId!, ++tid, other ? '600000003' : ME)
    const reply = await c.post(body)
    assert.equal(reply.status, 200, file)
    if (file.startsWith('10-') || file.startsWith('16-')) {
      // a poll with nothing waiting, an acknowledgement: nothing to say, or what waits
      assert.ok(reply.text === '' || reply.txs.every((x) => x.mode === 'Request'), `${file}: ${reply.text}`)
      continue
    }
    const answer = reply.txs.find((x) => x.mode === 'Response')
    assert.ok(answer, `${file} is answered`)
    assert.equal(answer.tid, /<TransactionID>([^<]*)</.exec(body)![1], `${file}: the TransactionID is echoed`)
    assert.ok(answer.code === undefined || answer.code < 300, `${file} answered ${answer.code}: ${reply.text}`)
    if (file.startsWith('23-')) assert.match(reply.text, /<Code>202<\/Code>/, 'the contact is offline: 202')
    if (file.startsWith('24-')) assert.equal(answer.name, 'Disconnect')
    c.take()
  }
  // what 13 and 07 built: the contact in the subscriptions list, as the JSON door shows it
  const me = t.client(ME)
  await me.login()
  const lists = (await me.get('/contacts')).body.lists
  assert.deepEqual(lists.find((l: { name: string }) => l.name === '~pep1.0_subscriptions').contacts, [], 'removed again by 18')
})
