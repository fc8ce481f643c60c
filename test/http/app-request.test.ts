import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { Hono } from 'hono'
import { SseFrames } from '../../scripts/bench/sse-frames.js'
import { createApp } from '../../src/app.js'
import { defaultConfig } from '../../src/config.js'
import { createUser } from '../../src/core/accounts.js'
import { FakeClock } from '../../src/core/clock.js'
import { createCore } from '../../src/core/create-core.js'
import { VERSION } from '../../src/version.js'
import { MemoryStore } from '../../src/store/memory/memory-store.js'

// The whole HTTP application answered through app.request(): no socket, no Node server. Core is touched only to
// set up (users, the clock); everything asserted is a request and its answer.
describe('the app, asked through app.request() without a socket', () => {
  let app: Hono
  const clock = new FakeClock()

  before(async () => {
    const core = createCore({ config: defaultConfig(), store: new MemoryStore(), clock })
    for (const user of ['alice', 'bob', 'carol', 'dave']) await createUser(core, user, `${user}-password`)
    app = createApp(core)
  })

  const post = (path: string, body: unknown, token?: string) =>
    app.request(`/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const login = async (userId: string, extra: Record<string, unknown> = {}) => {
    const res = await post('/login', { userId, password: `${userId}-password`, ...extra })
    assert.equal(res.status, 200)
    return ((await res.json()) as { token: string }).token
  }

  it('the health check answers 200 with the security headers', async () => {
    const res = await app.request('/healthz')
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { status: 'ok', version: VERSION })
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'")
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN')
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer')
  })

  it('alice logs in and writes to bob, who is offline: 201, with 202 for bob', async () => {
    const token = await login('alice')
    const res = await post('/messages', { to: ['bob'], body: 'hello bob' }, token)
    assert.equal(res.status, 200, 'a partial success is an HTTP 200')
    const answer = (await res.json()) as { result: { code: number; details: Array<{ code: number; users: string[] }> }; messageId: string }
    assert.equal(answer.result.code, 201)
    assert.deepEqual(answer.result.details.map((d) => [d.code, d.users]), [[202, ['bob']]])
    assert.match(answer.messageId, /\S/)
  })

  it('alice sends something that is not JSON: 400 with a result saying so', async () => {
    const token = await login('alice')
    const res = await post('/messages', '{not json', token)
    assert.equal(res.status, 400)
    const { result } = (await res.json()) as { result: { code: number; text: string } }
    assert.equal(result.code, 400)
    assert.match(result.text, /not valid JSON/)
  })

  it('asking for a route the API does not have: a JSON 404', async () => {
    const res = await app.request('/api/v1/nowhere')
    assert.equal(res.status, 404)
    assert.match(res.headers.get('content-type') ?? '', /application\/json/)
    const { result } = (await res.json()) as { result: { code: number; text: string } }
    assert.equal(result.code, 404)
    assert.match(result.text, /GET \/api\/v1\/nowhere/)
  })

  it('a body sent in chunks (no Content-Length) that grows too large: 413, and the connection is to close', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(new TextEncoder().encode('{"userId":"alice","password":"'))
        else if (sent < 200) controller.enqueue(chunk) // ~12 MB, past the API's limit
        else controller.close()
      },
    })
    const res = await app.request('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half',
    } as RequestInit)
    assert.equal(res.status, 413)
    assert.ok(sent < 200, 'refused once past the limit, before the rest was read')
    assert.equal(((await res.json()) as { result: { code: number } }).result.code, 413)
    assert.equal(res.headers.get('connection'), 'close')
  })

  it('a body sent in chunks within the limit is read whole: carol logs in', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"userId":"carol",'))
        controller.enqueue(new TextEncoder().encode('"password":"carol-password"}'))
        controller.close()
      },
    })
    const res = await app.request('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half',
    } as RequestInit)
    assert.equal(res.status, 200)
  })

  it('dave goes quiet past his time-to-live: his next request answers 600', async () => {
    const token = await login('dave')
    assert.equal((await app.request('/api/v1/messages', { headers: { authorization: `Bearer ${token}` } })).status, 200)
    clock.advance(defaultConfig().sessionTtlSeconds + 1)
    const res = await app.request('/api/v1/messages', { headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.status, 401)
    assert.equal(((await res.json()) as { result: { code: number } }).result.code, 600)
  })

  it('bob connects his event stream (push) and is handed the message that waited for him', async () => {
    const token = await login('bob', { capabilities: { deliveryMethod: 'push' } })
    const res = await app.request('/api/v1/events', { headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    const frames = new SseFrames()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        assert.equal(done, false, 'the stream ended before the message came')
        const events = frames.push(decoder.decode(value, { stream: true }))
        const message = events.find((e) => e.event === 'message')
        if (message) {
          const { sender, recipient, body } = message.data as { sender: string; recipient: string; body: string }
          assert.deepEqual([sender, recipient, body], ['alice', 'bob', 'hello bob'])
          break
        }
      }
    } finally {
      await reader.cancel()
    }
  })

  it('carol logs out while her event stream is open: the stream says why, then ends', async () => {
    const token = await login('carol')
    const res = await app.request('/api/v1/events', { headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.status, 200)
    const text = res.text()
    assert.equal((await post('/logout', {}, token)).status, 200)
    const events = new SseFrames().push(await text)
    assert.deepEqual(events.map((e) => e.event), ['session'])
    assert.equal((events[0].data as { result: { code: number } }).result.code, 200)
  })
})
