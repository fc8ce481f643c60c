import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { NAMESPACES, type Version, versionOf } from '../../src/http/wv-csp/version.js'
import { decodeWbxml, WbxmlRefused } from '../../src/http/wv-csp/wbxml/decode.js'
import { encodeWbxml } from '../../src/http/wv-csp/wbxml/encode.js'
import { tableOf } from '../../src/http/wv-csp/wbxml/tokens.js'
import { parseXml } from '../../src/http/wv-csp/xml/parse.js'
import type { El } from '../../src/http/wv-csp/xml/tree.js'
import { WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'
import { vectorDir, vectorFile } from './vectors.js'

interface Vector { id: string; direction: 'decode' | 'encode'; version: Version | null; wbxml_hex: string; xml: string | null; valid: boolean }
const vectors = () => JSON.parse(vectorFile('aosp-wbxml.json')) as Vector[]
const bytes = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)))
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ')

/** the tree without formatting: whitespace between elements is not content (the WBXML never has it) */
const shape = (e: El): unknown => (e.children.length ? { n: e.name, ns: e.ns, c: e.children.map(shape) } : { n: e.name, ns: e.ns, t: e.text })
/** AOSP's comments write `&#1114111` without its `;` */
const xmlOf = (v: Vector) => parseXml(v.xml!.replace(/&#(\d+)</g, '&#$1;<'))

/**
 * Where more than one encoding is correct, ours differs from AOSP's on purpose:
 * - DateTime travels as an inline string (PROTOCOL.md 9: "always as a string"); AOSP packs it into 6 OPAQUE bytes;
 * - SHTTP/SSMS have no value token in S60's CSP 1.2 table, so a 1.2 document carries them inline (AOSP borrows 1.3's);
 * - ContentData written through AOSP's opaque() API: the same XML, text rather than OPAQUE.
 */
const OTHER_ENCODING = new Set(['imps_encoder_test.cpp:113', 'imps_encoder_test.cpp:182', 'imps_encoder_test.cpp:542'])

test('every valid AOSP decode vector decodes to its XML; every invalid one is refused with a sentence', () => {
  let decoded = 0
  let refused = 0
  for (const v of vectors().filter((x) => x.direction === 'decode')) {
    if (!v.valid) {
      assert.throws(() => decodeWbxml(bytes(v.wbxml_hex)), (err: Error) => err instanceof WbxmlRefused && err.message.length > 10, v.id)
      refused++
      continue
    }
    assert.deepEqual(shape(decodeWbxml(bytes(v.wbxml_hex)).root), shape(xmlOf(v)), v.id)
    decoded++
  }
  assert.deepEqual([decoded, refused], [12, 8])
})

test('every AOSP encode vector encodes to its bytes, but for the three where another encoding is as correct (and those decode back to the same tree)', () => {
  for (const v of vectors().filter((x) => x.direction === 'encode')) {
    const tree = xmlOf(v)
    const version = (tree.ns ? versionOf(tree.ns) : undefined) ?? v.version!
    const ours = encodeWbxml(tree, version)
    if (OTHER_ENCODING.has(v.id)) {
      assert.notEqual(hex(ours), v.wbxml_hex, `${v.id} is expected to differ`)
      assert.deepEqual(shape(decodeWbxml(bytes(v.wbxml_hex)).root), shape(tree), `${v.id}: AOSP's bytes decode to the same tree`)
      assert.deepEqual(shape(decodeWbxml(ours).root), shape(tree), `${v.id}: ours too`)
    } else assert.equal(hex(ours), v.wbxml_hex, v.id)
  }
})

test('an OPAQUE DateTime (AOSP) decodes to the string form; a 1.3 document may carry SHTTP as a token', () => {
  const root = decodeWbxml(bytes('03 11 6a 00 c9 08 03 31 2e 32 00 01 6d 51 c3 06 1f 46 73 0e bb 5a 01 01 01')).root
  assert.equal(root.children[0].children[0].text, '20010925T165859Z')
  assert.equal(tableOf('1.3').valueCodes.get('SHTTP'), 0xa5)
  assert.equal(tableOf('1.2').valueCodes.get('SHTTP'), undefined, 'never emitted to a 1.2 client')
})

test('tokens a version lacks are never emitted: AutoSubscribe in 1.1, 1.2-only tags in 1.3, 1.1 names in 1.1', () => {
  assert.equal(tableOf('1.1').tagCodes.get('AutoSubscribe'), undefined)
  assert.equal(tableOf('1.2').tagCodes.get('AutoSubscribe'), 0x041e)
  assert.equal(tableOf('1.3').tagCodes.get('AcceptedContentLength'), undefined)
  assert.equal(tableOf('1.1').tagCodes.get('BlockUser-Request'), 0x0606)
  assert.equal(tableOf('1.3').valueCodes.get('IM_ONLINE'), undefined)
  assert.equal(tableOf('1.2').valueCodes.get('IM_ONLINE'), 0x6a)
  const status: El = { name: 'StatusText', ns: '', text: 'Open', children: [] }
  assert.ok(Buffer.from(encodeWbxml(status, '1.2')).includes(Buffer.from('\x03Open\0', 'latin1')), 'free text stays inline even when it equals a value token')
  const el: El = { name: 'WV-CSP-Message', ns: '', text: '', children: [{ name: 'AutoSubscribe', ns: '', text: 'T', children: [] }] }
  const out = encodeWbxml(el, '1.1')
  assert.ok(Buffer.from(out).includes(Buffer.from('AutoSubscribe\0')), 'written as a LITERAL from the string table')
  assert.deepEqual(shape(decodeWbxml(out).root), shape(el))
})

test('the 116 libwbxml examples round-trip XML → WBXML → XML to the same tree in 1.1, 1.2 and 1.3', () => {
  const files = vectorDir('libwbxml-wv').filter((f) => f.endsWith('.xml'))
  assert.equal(files.length, 116)
  const literal = new Set<string>()
  for (const f of files) {
    for (const v of ['1.1', '1.2', '1.3'] as Version[]) {
      const tree = restated(parseXml(vectorFile('libwbxml-wv', f)), v)
      const walk = (e: El): void => {
        if (!tableOf(v).tagCodes.has(e.name)) literal.add(`${v} ${e.name}`)
        e.children.forEach(walk)
      }
      walk(tree)
      assert.deepEqual(shape(decodeWbxml(encodeWbxml(tree, v)).root), shape(tree), `${f} as ${v}`)
    }
  }
  // names a version has no token for travel as LITERALs: the examples' Preferred* (the tables say Referred*),
  // 1.2's BlockEntity-Request in 1.1 (S60 names 0x0606 BlockUser-Request), and the tags 1.3 removed
  assert.deepEqual([...literal].filter((n) => n.startsWith('1.1')).sort(), ['1.1 BlockEntity-Request', '1.1 PreferredContent', '1.1 PreferredvCard'])
})

/** a CSP 1.1 example restated in another version's namespaces (the public id and the xmlns then agree) */
function restated(e: El, v: Version): El {
  const old = NAMESPACES['1.1']
  const ns = e.ns === old.csp ? NAMESPACES[v].csp : e.ns === old.trc ? NAMESPACES[v].trc : e.ns === old.pa ? NAMESPACES[v].pa : e.ns
  return { ...e, ns, children: e.children.map((c) => restated(c, v)) }
}

let t: TestServer
before(async () => {
  t = await TestServer.start()
  await t.users('hermes.onesoup')
})
after(() => t.destroy())

/** the captured S60 login, with the password of the test account */
const s60Xml = () => vectorFile('s60-login.xml').replace('xxxxxx', 'hermes.onesoup-password')

test('the S60 Login-Request, encoded as 1.2 WBXML by our codec, logs in and is answered in 1.2 WBXML', async () => {
  const phone = new WvClient(t.url + '/imps', '1.2', undefined, 'wbxml')
  const doc = parseXml(s60Xml())
  const reply = await phone.post(s60Xml(), encodeWbxml(doc, '1.2'))
  assert.equal(reply.status, 200, reply.text)
  assert.equal(reply.contentType, 'application/vnd.wv.csp.wbxml')
  // the xmlns says CSP 1.1 (the phone's capture), so the answer is 1.1, whatever the public id
  assert.deepEqual([reply.bytes[0], reply.bytes[1], reply.bytes[2]], [0x03, 0x10, 0x6a])
  assert.equal(reply.txs[0].name, 'Login-Response')
  assert.equal(reply.txs[0].code, 200)
  assert.match(reply.text, /<SessionID>[^<]+<\/SessionID>/)
})

test("libwbxml's bytes of it (public id 0x01, no xmlns) log in too, read as 1.1", async () => {
  const raw = bytes(vectorFile('s60-login.wbxml.hex'))
  assert.equal(raw.length, 130)
  // the capture's password is masked: put the test account's in its place (same length keeps the bytes valid)
  const body = Buffer.from(raw)
  const at = body.indexOf(Buffer.from('xxxxxx\0'))
  const withPassword = Buffer.concat([body.subarray(0, at), Buffer.from('hermes.onesoup-password\0'), body.subarray(at + 7)])
  const phone = new WvClient(t.url + '/imps', '1.1', undefined, 'wbxml')
  const reply = await phone.post('(libwbxml bytes)', new Uint8Array(withPassword))
  assert.equal(reply.status, 200, reply.text)
  assert.equal(reply.bytes[1], 0x10, 'answered as 1.1')
  assert.equal(reply.txs[0].code, 200, reply.text)
})

test('garbage, truncation, an index past the string table, an entity above U+10FFFF: HTTP 400 with a WBXML Status 503', async () => {
  const phone = new WvClient(t.url + '/imps', '1.2', undefined, 'wbxml')
  for (const body of ['ff ff ff ff', '03 11 6a', '03 11 6a 02 61 00 c9 08 03 31 2e 32 00 01 44 05', '03 10 6a 00 c9 05 03 31 2e 31 00 01 6d 6e 70 02 c4 80 00 01 01 01 01', '']) {
    const reply = await phone.post('(bad bytes)', bytes(body))
    assert.equal(reply.status, 400, body)
    assert.equal(reply.txs[0]?.code, 503, body)
    assert.match(reply.text, /not WV-CSP WBXML/)
  }
})
