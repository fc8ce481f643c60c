import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LeanHeaders, undiciLoaded } from '../../src/http/lean-web-globals.js'

// This file imports the module alone, so the globals are its stand-ins (the server's tests see them too,
// then overridden by @hono/node-server's own Request and Response).
describe('the lean Headers, Request and Response globals', () => {
  it('are installed in place of Node\'s lazy ones', () => {
    assert.equal(globalThis.Headers, LeanHeaders as unknown)
    assert.equal(undiciLoaded(), false)
  })

  it('Headers: names are case-insensitive, appended values join with ", ", set-cookie stays apart', () => {
    const h = new LeanHeaders({ 'Content-Type': 'text/plain', Accept: 'a' })
    h.append('ACCEPT', 'b')
    h.append('set-cookie', 'x=1')
    h.append('Set-Cookie', 'y=2')
    assert.equal(h.get('content-type'), 'text/plain')
    assert.equal(h.get('accept'), 'a, b')
    assert.equal(h.get('missing'), null)
    assert.equal(h.has('CONTENT-TYPE'), true)
    assert.deepEqual(h.getSetCookie(), ['x=1', 'y=2'])
    assert.deepEqual([...h], [['accept', 'a, b'], ['content-type', 'text/plain'], ['set-cookie', 'x=1'], ['set-cookie', 'y=2']])
    h.set('accept', 'c')
    h.delete('Content-Type')
    assert.deepEqual([...h.keys()], ['accept', 'set-cookie', 'set-cookie'])
    const seen: string[] = []
    h.forEach((v, k, self) => {
      assert.equal(self, h)
      seen.push(`${k}=${v}`)
    })
    assert.deepEqual(seen, ['accept=c', 'set-cookie=x=1', 'set-cookie=y=2'])
  })

  it('Headers: built from pairs or another Headers, values trimmed; bad names and values are TypeErrors', () => {
    const h = new LeanHeaders([['x-a', '  padded\t']])
    assert.equal(h.get('x-a'), 'padded')
    assert.equal(new LeanHeaders(h).get('X-A'), 'padded')
    assert.throws(() => new LeanHeaders({ 'bad name': 'v' }), TypeError)
    assert.throws(() => h.set('x-b', 'one\r\ntwo: injected'), TypeError)
    assert.throws(() => h.append('x-b', 'nul\0'), TypeError)
    assert.throws(() => new LeanHeaders([['only-a-name']] as never), TypeError)
    assert.throws(() => new LeanHeaders('x' as never), TypeError)
  })

  it('Headers: repeated cookies join with "; ", characters above U+00FF are refused, trimming is linear', { timeout: 10_000 }, () => {
    const h = new LeanHeaders([['cookie', 'session=abc'], ['Cookie', 'theme=dark']])
    assert.equal(h.get('cookie'), 'session=abc; theme=dark')
    assert.deepEqual([...h], [['cookie', 'session=abc; theme=dark']])
    assert.equal(new LeanHeaders({ 'x-latin': 'caf\u00e9' }).get('x-latin'), 'caf\u00e9')
    assert.throws(() => new LeanHeaders({ 'x-wide': '\u20ac' }), TypeError)
    assert.throws(() => new LeanHeaders({ 'x-wide': '\u{1F4A5}' }), TypeError)
    // a backtracking trim took minutes on this (quadratic); the loop takes microseconds
    const padded = `a${' '.repeat(200_000)}b`
    assert.equal(new LeanHeaders({ 'x-pad': `  ${padded}\t` }).get('x-pad'), padded)
  })

  it('Request and Response load the real classes only when one is built, and both kinds interoperate', async () => {
    const Res = globalThis.Response
    assert.equal(undiciLoaded(), false)
    assert.equal(({}) instanceof Res, false, 'nothing is a Response before undici loads')
    const res = new Res('hello', { status: 201, headers: new LeanHeaders({ 'x-a': '1' }) })
    assert.equal(undiciLoaded(), true)
    assert.equal(globalThis.Response, Res, 'loading undici leaves the global as it was')
    assert.equal(res instanceof Res, true)
    assert.equal(res.status, 201)
    assert.equal(res.headers.get('x-a'), '1')
    assert.equal(res.headers instanceof LeanHeaders, true, 'a real Headers passes instanceof Headers')
    assert.equal(await res.text(), 'hello')
    assert.equal(await Res.json({ a: 1 }).text(), '{"a":1}')
    // a subclass, as @hono/node-server's Request is one
    class Sub extends globalThis.Request {}
    const req = new Sub('http://x/', { method: 'POST', body: 'b' })
    assert.equal(req instanceof Sub, true)
    assert.equal(await req.text(), 'b')
  })
})
