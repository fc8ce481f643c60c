import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parseXml } from '../../src/http/wv-csp/xml/parse.js'
import { HANDLERS } from '../../src/http/wv-csp/primitives/index.js'
import { textAt } from '../../src/http/wv-csp/xml/tree.js'
import { WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'
import { vectorDir, vectorFile, withSession } from './vectors.js'

let t: TestServer
before(async () => {
  t = await TestServer.start()
  await t.users('john')
})
after(() => t.destroy())

const index = () => JSON.parse(vectorFile('libwbxml-wv', 'index.json')) as Array<{ file: string; primitive: string; transaction_mode: string }>

test('the 116 libwbxml spec-example messages (CSP 1.1, with a DOCTYPE) all parse', () => {
  const files = vectorDir('libwbxml-wv').filter((f) => f.endsWith('.xml'))
  assert.equal(files.length, 116)
  for (const f of files) assert.equal(parseXml(vectorFile('libwbxml-wv', f)).name, 'WV-CSP-Message', f)
})

test('posted in a live session, each gets HTTP 200; those this binding serves get a non-501 answer', async () => {
  const john = new WvClient(t.url + '/imps', '1.1')
  await john.login('john', 'john-password')
  const served = new Set([...Object.keys(HANDLERS), 'Login-Request', 'Polling-Request'])
  let implemented = 0
  for (const { file, primitive, transaction_mode: mode } of index()) {
    if (!john.sessionId) await john.login('john', 'john-password') // after wv-013's Logout
    const reply = await john.post(withSession(vectorFile('libwbxml-wv', file), john.sessionId!))
    assert.equal(reply.status, 200, `${file}: ${reply.text}`)
    const answer = reply.txs.find((x) => x.mode === 'Response')
    if (mode === 'Response' || primitive === 'Polling-Request') {
      assert.equal(answer, undefined, `${file}: a client's response, or a poll with nothing waiting, gets no answer of its own`)
      if (primitive === 'Polling-Request') implemented++
      continue
    }
    assert.ok(answer, `${file} (${primitive}) is answered`)
    if (served.has(primitive)) {
      implemented++
      assert.notEqual(answer.code, 501, `${file} (${primitive}): ${reply.text}`)
    } else {
      assert.equal(answer.code, 501, `${file} (${primitive}) is not served: 501`)
    }
    if (primitive === 'Logout-Request') john.sessionId = undefined
    john.take()
  }
  assert.ok(implemented >= 30, `${implemented} served primitives among the examples`)
  // wv-082 created john's list with its nicknames and properties
  const lists = await john.request('<GetList-Request/>')
  assert.ok(lists.txs[0].el.children.some((c) => c.text === 'wv:john/my_friends' || textAt(c) === 'wv:john/my_friends'), lists.text)
})
