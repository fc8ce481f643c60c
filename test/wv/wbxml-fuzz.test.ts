import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { encodeWbxml } from '../../src/http/wv-csp/wbxml/encode.js'
import { parseXml } from '../../src/http/wv-csp/xml/parse.js'
import { CirClient } from '../../scripts/wv-cir.js'
import { WvClient } from '../../scripts/wv.js'
import { TestServer } from '../support/server.js'
import { vectorFile } from './vectors.js'

/** mulberry32: the same 10,000 bodies on every run, so a failure can be replayed */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
let t: TestServer
let phone: WvClient
before(async () => {
  process.on('unhandledRejection', onUnhandled)
  t = await TestServer.start()
  await t.users('alice', 'bob')
  phone = new WvClient(t.url + '/imps', '1.2', undefined, 'wbxml')
  await phone.login('wv:bob', 'bob-password', { stcp: true })
})
after(async () => {
  process.off('unhandledRejection', onUnhandled)
  await t.destroy()
})

/** well-formed starting points: AOSP's vectors and real requests in a live session, in all three versions */
function seeds(): Uint8Array[] {
  const out = (JSON.parse(vectorFile('aosp-wbxml.json')) as Array<{ wbxml_hex: string; valid: boolean }>)
    .filter((v) => v.valid).map((v) => Uint8Array.from(v.wbxml_hex.split(' ').map((h) => parseInt(h, 16))))
  for (const v of ['1.1', '1.2', '1.3'] as const) {
    const c = new WvClient('', v)
    c.sessionId = phone.sessionId
    for (const xml of [c.sendXml(['wv:alice'], 'fuzz ✓'), '<Polling-Request/>', '<GetList-Request/>', '<KeepAlive-Request><TimeToLive>600</TimeToLive></KeepAlive-Request>']) {
      out.push(encodeWbxml(parseXml(c.envelope([['Request', 'f1', xml]])), v))
    }
  }
  return out
}

function mutate(b: Uint8Array, r: () => number): Uint8Array<ArrayBuffer> {
  const a = [...b]
  const n = 1 + Math.floor(r() * 4)
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (a.length + 1))
    const kind = Math.floor(r() * 6)
    if (kind === 0) a[at] = Math.floor(r() * 256)
    else if (kind === 1) a.splice(at, 0, Math.floor(r() * 256))
    else if (kind === 2) a.splice(at, 1)
    else if (kind === 3) a.length = at // truncate
    else if (kind === 4) a.splice(at, 0, ...a.slice(at, at + Math.floor(r() * 16))) // repeat a run
    else a.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x7f) // an oversized multi-byte integer
  }
  return Uint8Array.from(a)
}

test('10,000 mutated WBXML bodies: never a 500, never a crash or an unhandled rejection; /healthz fine after', async () => {
  const r = rng(13)
  const start = seeds()
  const statuses = new Map<number, number>()
  const bodies = Array.from({ length: 10_000 }, () => mutate(start[Math.floor(r() * start.length)], r))
  for (let i = 0; i < bodies.length; i += 16) {
    await Promise.all(bodies.slice(i, i + 16).map(async (body) => {
      const res = await fetch(t.url + '/imps', { method: 'POST', headers: { 'content-type': 'application/vnd.wv.csp.wbxml' }, body })
      await res.arrayBuffer()
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      assert.ok(res.status === 200 || res.status === 400, `status ${res.status} for ${Buffer.from(body).toString('hex')}`)
    }))
  }
  assert.ok((statuses.get(400) ?? 0) > 1000 && (statuses.get(200) ?? 0) > 100, JSON.stringify([...statuses]))
  assert.deepEqual(unhandled, [])
  assert.equal((await fetch(t.url + '/healthz')).status, 200)
})

test('1,000 junk CIR lines: each connection is closed, never the listener; a real phone binds after', async () => {
  const r = rng(31)
  const port = t.server.cir!.port
  for (let i = 0; i < 1000; i += 10) {
    await Promise.all(Array.from({ length: 10 }, async () => {
      const c = await CirClient.connect('127.0.0.1', port)
      const len = Math.floor(r() * 1500)
      const junk = Buffer.from(Array.from({ length: len }, () => Math.floor(r() * 256)))
      const line = r() < 0.3 ? Buffer.concat([Buffer.from(r() < 0.5 ? 'HELO ' : 'WVCI '), junk]) : junk
      c.socket.write(Buffer.concat([line, Buffer.from('\r\n')]))
      c.write('PING\r\n')
      await Promise.race([c.ended(), new Promise((resolve) => setTimeout(resolve, 200))])
      c.close()
    }))
  }
  assert.deepEqual(unhandled, [])
  const cir = await CirClient.connect('127.0.0.1', port)
  assert.equal(await cir.hello(phone.sessionId!), 'OK')
  cir.close()
  assert.equal((await fetch(t.url + '/healthz')).status, 200)
})
