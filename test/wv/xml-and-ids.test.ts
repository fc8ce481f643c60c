import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Ids } from '../../src/http/wv-csp/ids.js'
import { dateTime } from '../../src/http/wv-csp/render.js'
import { parseXml } from '../../src/http/wv-csp/xml/parse.js'
import { serialize } from '../../src/http/wv-csp/xml/serialize.js'
import { e } from '../../src/http/wv-csp/xml/tree.js'

test('whatever a message holds, the answer is well-formed XML and reads back the same (but for what XML cannot carry)', () => {
  const body = 'a < b & c > d "q" \'s\' \r\n tab\t emoji 😀 nul\u0000 bell\u0007 lone\ud800 end'
  const doc = serialize(e('ContentData', body, 'urn:x'))
  const back = parseXml(doc)
  assert.equal(back.ns, 'urn:x')
  assert.equal(back.text, body.replace('\u0000', '\ufffd').replace('\u0007', '\ufffd').replace('\ud800', '\ufffd'))
  assert.equal(serialize(e('Poll', false)), '<?xml version="1.0" encoding="UTF-8"?><Poll>F</Poll>')
  assert.equal(serialize(e('List', [undefined, false, e('X')])), '<?xml version="1.0" encoding="UTF-8"?><List><X/></List>')
})

test('user ids: wv:alice, wv:alice@domain and alice name alice; another domain names nobody once one is configured', () => {
  const open = new Ids(undefined)
  for (const raw of ['wv:alice', 'WV:Alice', 'alice', ' wv:alice@anything.org ', 'alice@x']) assert.equal(open.user(raw), 'alice', raw)
  assert.equal(open.writeUser('alice'), 'wv:alice')
  assert.equal(open.user('wv:'), undefined)
  assert.equal(open.user('wv:al ice'), undefined)
  const mine = new Ids('example.org')
  assert.equal(mine.user('wv:alice@Example.ORG'), 'alice')
  assert.equal(mine.user('wv:alice'), 'alice')
  assert.equal(mine.user('wv:alice@other.org'), undefined)
  assert.equal(mine.writeUser('alice'), 'wv:alice@example.org')
  assert.deepEqual(mine.list('wv:alice/~PEP1.0_privatelist@example.org'), { owner: 'alice', name: '~PEP1.0_privatelist' })
  assert.equal(mine.list('wv:alice@example.org'), undefined)
  assert.equal(mine.writeList('alice', 'default'), 'wv:alice/default@example.org')
})

test('DateTime is the basic ISO form with Z, as a string', () => {
  assert.equal(dateTime(Date.parse('2007-06-25T05:56:52.123Z')), '20070625T055652Z')
})
