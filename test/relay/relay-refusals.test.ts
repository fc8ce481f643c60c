import assert from 'node:assert/strict'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createServer } from 'node:http'
import { before, describe, it } from 'node:test'
import { createPrivateKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KEY_FILE } from '../../src/http/relay/keys.js'
import { signRequest, signResponse } from '../../src/http/relay/signature.js'
import { type PeerSide, peerSide, relayConfig, usePair } from '../support/relay.js'
import { TestServer } from '../support/server.js'

/** what a.example would send b.example, built by hand so that the test can bend each part */
function message(from: string, to: string, id = `m${Math.random().toString(36).slice(2, 12)}`) {
  const at = new Date('2026-01-01T00:00:00Z')
  return { id, from, to, sentAt: at.toISOString(), contentType: 'text/plain', body: 'psst', validUntil: new Date(at.getTime() + 86_400_000).toISOString(), deliveryReport: false }
}

describe('the relay door refuses what a peer must not do (403, logged, nothing stored): no open relay', () => {
  const pair = usePair()
  let b: TestServer
  let sideA: PeerSide
  let keyA: KeyObject
  const refusals: string[] = []
  before(async () => {
    ;({ b, sides: [sideA] } = pair)
    keyA = createPrivateKey(readFileSync(join(sideA.dataDir, KEY_FILE), 'utf8'))
    await b.users('bob')
    b.server.core.log = (area, event, fields) => {
      if (area === 'relay' && event === 'refused') refusals.push(String(fields?.why))
    }
  })

  /** POSTs to b.example as a.example would, signed with `key` as `keyId` at b's time plus `skewMs` */
  async function post(path: string, json: unknown, opts: { key?: KeyObject; keyId?: string; skewMs?: number; headers?: Record<string, string> } = {}) {
    const body = JSON.stringify(json)
    const signed = signRequest({ method: 'POST', path, body: Buffer.from(body) }, opts.keyId ?? 'a.example', opts.key ?? keyA, b.clock.now() + (opts.skewMs ?? 0))
    const res = await fetch(b.url + path, { method: 'POST', body, headers: { ...signed, 'Content-Type': 'application/json', ...opts.headers } })
    return { status: res.status, body: await res.json() as any }
  }
  const waitingForBob = async () => (await b.server.core.store.listMessages('bob')).length

  it('a well-signed message from a.example for bob is taken', async () => {
    const res = await post('/relay/v1/messages', { messages: [message('alice@a.example', 'bob@b.example')] })
    assert.equal(res.status, 200)
    assert.deepEqual(res.body.verdicts, [{ accepted: true }])
    assert.equal(await waitingForBob(), 1)
  })

  it('refuses an unsigned request, a forged key, an unknown peer, a stale or future request, and a body that does not match its digest', async () => {
    const before = await waitingForBob()
    const json = { messages: [message('alice@a.example', 'bob@b.example')] }
    const unsigned = await fetch(b.url + '/relay/v1/messages', { method: 'POST', body: JSON.stringify(json) })
    assert.equal(unsigned.status, 403)
    assert.match((await unsigned.json()).result.text, /not signed/)

    const forged = generateKeyPairSync('ed25519').privateKey
    assert.match((await post('/relay/v1/messages', json, { key: forged })).body.result.text, /does not verify with the key pinned for a\.example/)
    assert.match((await post('/relay/v1/messages', json, { key: forged, keyId: 'evil.example' })).body.result.text, /"evil\.example" is not a configured peer/)
    assert.match((await post('/relay/v1/messages', json, { skewMs: -600_000 })).body.result.text, /stale or from the future/)
    assert.match((await post('/relay/v1/messages', json, { skewMs: 600_000 })).body.result.text, /stale or from the future/)
    const tampered = await post('/relay/v1/messages', json, { headers: { 'Content-Digest': 'sha-256=:AAAA:' } })
    assert.equal(tampered.status, 403)
    assert.equal(await waitingForBob(), before, 'nothing was stored')
    assert.ok(refusals.length >= 6, 'each refusal is logged with its reason')
  })

  it('refuses a replayed request, even one that was good the first time', async () => {
    const body = JSON.stringify({ messages: [message('alice@a.example', 'bob@b.example')] })
    const headers = { ...signRequest({ method: 'POST', path: '/relay/v1/messages', body: Buffer.from(body) }, 'a.example', keyA, b.clock.now()), 'Content-Type': 'application/json' }
    const first = await fetch(b.url + '/relay/v1/messages', { method: 'POST', body, headers })
    const again = await fetch(b.url + '/relay/v1/messages', { method: 'POST', body, headers })
    assert.equal(first.status, 200)
    assert.equal(again.status, 403)
    assert.match((await again.json()).result.text, /sent before \(a replay\)/)
    // base64 leaves spare bits in its last character: another spelling of the same signature is no new request
    const sig = /:(.*):/.exec((headers as Record<string, string>).Signature)![1]
    const respelt = sig.slice(0, 85) + String.fromCharCode(sig.charCodeAt(85) + 1) + '==' // A→B, Q→R, g→h, w→x: the same bytes
    const variant = await fetch(b.url + '/relay/v1/messages', { method: 'POST', body, headers: { ...headers, Signature: `sig1=:${respelt}:` } })
    assert.equal(variant.status, 403)
  })

  it('refuses a sender outside the signing peer\'s domain, and a recipient who is not ours: no open relay', async () => {
    const before = await waitingForBob()
    const spoofed = await post('/relay/v1/messages', { messages: [message('mallory@c.example', 'bob@b.example')] })
    assert.equal(spoofed.status, 403)
    assert.match(spoofed.body.result.text, /"mallory@c\.example" is not a user of a\.example/)
    const onward = await post('/relay/v1/messages', { messages: [message('alice@a.example', 'carol@c.example')] })
    assert.equal(onward.status, 403)
    assert.match(onward.body.result.text, /relays for no one else/)
    const bare = await post('/relay/v1/messages', { messages: [message('alice', 'bob@b.example')] })
    assert.equal(bare.status, 403, 'a sender without a domain would be a user of b.example itself')
    const forgedReport = await post('/relay/v1/reports', { reports: [{ id: 'r1', messageId: 'm1', from: 'alice@a.example', to: 'bob@b.example', code: 200 }] })
    assert.equal(forgedReport.status, 403, 'a report is for our sender about a.example\'s recipient, not the other way round')
    assert.equal(await waitingForBob(), before)
  })

  it('files a report only about a message a.example handed over, and only once', async () => {
    const forged = await post('/relay/v1/reports', { reports: [{ id: 'r-forged', messageId: 'never-sent', from: 'bob@b.example', to: 'alice@a.example', code: 200 }] })
    assert.equal(forged.status, 200)
    assert.equal(forged.body.filed, 0, 'b.example never sent alice a message with that id')
    assert.equal((await b.server.core.store.listReports('bob')).length, 0)
  })

  it('answers malformed batches with 402 and the field at fault', async () => {
    const res = await post('/relay/v1/messages', { messages: [{ ...message('alice@a.example', 'bob@b.example'), validUntil: 'soon' }] })
    assert.equal(res.status, 400)
    assert.equal(res.body.result.code, 402)
    assert.match(res.body.result.text, /messages\[0\]\.validUntil must be a time/)
    assert.equal((await post('/relay/v1/messages', { messages: [] })).body.result.code, 402)
    assert.equal((await post('/relay/v1/reports', { reports: [{ id: 'r', messageId: 'm', from: 'bob', to: 'alice@a.example', code: 777 }] })).body.result.code, 402)
  })
})

describe('the sending side believes only answers signed by its peer', () => {
  it('an impostor answering "accepted" for b.example (unsigned, or signed with another key) is not believed: the copies stay queued', async () => {
    const [sa, sb] = [await peerSide('a.example'), await peerSide('b.example')]
    const stranger = generateKeyPairSync('ed25519').privateKey
    let signWith: KeyObject | undefined
    const impostor = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        const body = Buffer.from(JSON.stringify({ result: { code: 200, text: 'Successful' }, verdicts: [{ accepted: true }] }))
        const nonce = /nonce="([^"]+)"/.exec(String(req.headers['signature-input']))?.[1] ?? ''
        const signature = signWith ? signResponse(200, body, nonce, 'b.example', signWith, Date.parse('2026-01-01T00:00:00Z')) : {}
        res.writeHead(200, { 'Content-Type': 'application/json', ...signature }).end(body)
      })
    }).listen(sb.port, '127.0.0.1')
    const a = await TestServer.start(relayConfig(sa, [sb]), { dataDir: sa.dataDir })
    try {
      const [alice] = await a.users('alice')
      await alice.login()
      await alice.send('bob@b.example', 'for bob only')
      for (const key of [undefined, stranger]) {
        signWith = key
        await a.server.core.relay!.retryNow()
        const [peer] = await a.server.core.relay!.statuses()
        assert.equal(peer.queued.messages, 1, 'the copy is still queued')
        assert.match(peer.lastError!, key ? /does not verify with the key pinned for b\.example/ : /not signed by b\.example/)
      }
    } finally {
      await a.destroy()
      impostor.close()
    }
  })
})
