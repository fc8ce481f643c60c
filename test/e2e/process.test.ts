import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Client } from '../support/client.js'
import { ensureBundle, exited, startProcess } from '../support/process.js'

describe('the single-file bundle, run as its own process', () => {
  let bundle: string
  const dirs: string[] = []
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'pigeonhole-proc-'))
    dirs.push(d)
    return d
  }
  before(() => {
    bundle = ensureBundle()
  })
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  it('starts alone in an empty directory (no node_modules) and serves /healthz', async () => {
    const dir = temp()
    copyFileSync(bundle, join(dir, 'pigeonhole.mjs'))
    const p = await startProcess(['pigeonhole.mjs'], { PIGEONHOLE_PORT: '0' }, dir)
    const res = await fetch(p.url + '/healthz')
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { status: 'ok', version: JSON.parse(readFileSync('package.json', 'utf8')).version })
    p.child.kill('SIGTERM')
    assert.equal(await exited(p.child), 0)
  })

  it('reads chunked bodies from Node\'s message: whole, too large (413), or cut off by a client that vanished', async () => {
    const dir = temp()
    const p = await startProcess([bundle], { PIGEONHOLE_PORT: '0', PIGEONHOLE_DATA_DIR: join(dir, 'data'), PIGEONHOLE_REGISTRATION: 'open' })
    const [alice, bob] = [new Client(p.url, 'alice'), new Client(p.url, 'bob')]
    for (const c of [alice, bob]) assert.equal((await c.post('/users', { userId: c.userId, password: c.password })).status, 200)
    const chunked = (body: string, vanish = false) =>
      new Promise<number | 'gone'>((resolve, reject) => {
        const req = request(p.url + '/api/v1/login', { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        })
        req.on('error', (err) => (vanish ? resolve('gone') : reject(err)))
        req.write(body.slice(0, 10)) // no Content-Length: Transfer-Encoding: chunked
        if (vanish) setImmediate(() => req.destroy())
        else req.end(body.slice(10))
      })
    assert.equal(await chunked(JSON.stringify({ userId: 'alice', password: 'alice-password' })), 200)
    assert.equal(await chunked(JSON.stringify({ userId: 'alice', password: 'x'.repeat(2_000_000) })), 413)
    assert.equal(await chunked(JSON.stringify({ userId: 'alice', password: 'alice-password' }), true), 'gone')
    assert.equal((await fetch(p.url + '/healthz')).status, 200)
    await alice.login()
    assert.equal((await alice.send('bob', 'hello')).body.result.code, 201)
    p.child.kill('SIGTERM')
    assert.equal(await exited(p.child), 0)
  })

  it('keeps a message it answered 202 for through a kill -9', async () => {
    const dataDir = temp()
    const env = { PIGEONHOLE_PORT: '0', PIGEONHOLE_DATA_DIR: dataDir, PIGEONHOLE_REGISTRATION: 'open' }
    const first = await startProcess([bundle], env)
    const alice = new Client(first.url, 'alice')
    const bob = new Client(first.url, 'bob')
    assert.equal((await alice.post('/users', { userId: 'alice', password: alice.password })).status, 200)
    assert.equal((await bob.post('/users', { userId: 'bob', password: bob.password })).status, 200)
    await alice.login()
    const sent = await alice.send('bob', 'survive this')
    assert.equal(sent.body.result.details[0].code, 202)
    first.child.kill('SIGKILL')
    await exited(first.child)

    const second = await startProcess([bundle], env)
    const bob2 = new Client(second.url, 'bob')
    const login = await bob2.loginWith('pull')
    assert.equal(login.body.pending.messages, 1)
    const list = await bob2.get('/messages')
    assert.deepEqual(list.body.messages.map((m: { id: string }) => m.id), [sent.body.messageId])
    second.child.kill('SIGTERM')
    await exited(second.child)
  })

  it('refuses a second server on the same data directory', async () => {
    const dataDir = temp()
    const env = { PIGEONHOLE_PORT: '0', PIGEONHOLE_DATA_DIR: dataDir }
    const first = await startProcess([bundle], env)
    await assert.rejects(startProcess([bundle], env), /in use by another Pigeonhole/)
    first.child.kill('SIGTERM')
    await exited(first.child)
  })

  it('explains a bad setting and exits', async () => {
    await assert.rejects(
      startProcess([bundle], { PIGEONHOLE_PORT: 'eighty', PIGEONHOLE_DATA_DIR: temp() }),
      /PIGEONHOLE_PORT \(--port\) expected a whole number, got "eighty"/,
    )
  })
})
