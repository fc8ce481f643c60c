import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { afterEach, describe, it } from 'node:test'
import { chatClientModule, OUT } from '../../scripts/gen-chat-client.mjs'
import { ConfigError, loadConfig } from '../../src/config.js'
import { CHAT_CSP } from '../../src/http/web/index.js'
import { TestServer } from '../support/server.js'

const PAGE_BUDGET = 100 * 1024

describe('the chat page as served', () => {
  let srv: TestServer
  afterEach(() => srv.destroy())

  it('is one static page and two assets under a strict policy, within 100 KB', async () => {
    srv = await TestServer.start()
    const page = await fetch(srv.url + '/')
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('content-security-policy'), CHAT_CSP)
    assert.match(CHAT_CSP, /script-src 'self'/)
    assert.doesNotMatch(CHAT_CSP, /unsafe-inline|unsafe-eval/)
    const html = await page.text()
    assert.match(html, /<meta name="pigeonhole-registration" content="closed">/)
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, 'no inline script')
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or handler')
    const assets = [...html.matchAll(/(?:src|href)="(\/chat\/[^"]+)"/g)].map((m) => m[1])
    assert.equal(assets.length, 2)
    let total = Buffer.byteLength(html)
    for (const path of assets) {
      const res = await fetch(srv.url + path)
      assert.equal(res.status, 200)
      assert.match(res.headers.get('cache-control') ?? '', /immutable/, 'named by content, so cached')
      total += (await res.arrayBuffer()).byteLength
    }
    assert.ok(total <= PAGE_BUDGET, `page and assets weigh ${total} bytes`)
    console.log(`# chat page + script + stylesheet: ${total} bytes uncompressed`)
    const api = await fetch(srv.url + '/api/v1/nowhere')
    assert.equal(api.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", "the API keeps its own policy")
  })

  it('offers "Create account" only when registration is open', async () => {
    srv = await TestServer.start({ registration: 'open' })
    assert.match(await (await fetch(srv.url + '/')).text(), /<meta name="pigeonhole-registration" content="open">/)
  })

  it('serves the script built from src/http/web/client (run `npm run assets` after changing it)', async () => {
    srv = await TestServer.start()
    assert.equal(readFileSync(OUT, 'utf8'), await chatClientModule())
  })
})

describe('CORS for other-origin clients (PIGEONHOLE_CORS_ORIGINS)', () => {
  let srv: TestServer
  afterEach(() => srv.destroy())
  const preflight = (origin: string) =>
    fetch(srv.url + '/api/v1/messages', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    })

  it('by default answers no preflight and names no origin', async () => {
    srv = await TestServer.start()
    const res = await preflight('https://chat.example.org')
    assert.equal(res.status, 404)
    assert.equal(res.headers.get('access-control-allow-origin'), null)
  })

  it('answers preflights from listed origins only, and lets their calls be read', async () => {
    srv = await TestServer.start({ corsOrigins: ['https://chat.example.org'] })
    const ok = await preflight('https://chat.example.org')
    assert.equal(ok.status, 204)
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://chat.example.org')
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /Authorization/)
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/)
    assert.equal(ok.headers.get('access-control-allow-credentials'), null, 'tokens, never cookies')
    const other = await preflight('https://evil.example.com')
    assert.equal(other.status, 404)
    assert.equal(other.headers.get('access-control-allow-origin'), null)
    const [alice] = await srv.users('alice')
    const login = await fetch(srv.url + '/api/v1/login', {
      method: 'POST', headers: { origin: 'https://chat.example.org', 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice', password: alice.password }),
    })
    assert.equal(login.status, 200)
    assert.equal(login.headers.get('access-control-allow-origin'), 'https://chat.example.org')
    assert.equal(login.headers.get('vary'), 'Origin')
  })

  it('reads the list from the environment and refuses what is not an origin', () => {
    const { config } = loadConfig({ PIGEONHOLE_CORS_ORIGINS: 'https://a.example.org, http://10.0.0.5:8080' })
    assert.deepEqual(config.corsOrigins, ['https://a.example.org', 'http://10.0.0.5:8080'])
    assert.deepEqual(loadConfig({}).config.corsOrigins, [])
    assert.throws(() => loadConfig({ PIGEONHOLE_CORS_ORIGINS: 'https://a.example.org/path' }), (e: Error) =>
      e instanceof ConfigError && /PIGEONHOLE_CORS_ORIGINS \(--cors-origins\) expected origins/.test(e.message))
    assert.throws(() => loadConfig({ PIGEONHOLE_CORS_ORIGINS: '*' }), ConfigError)
  })
})
