import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { FailingFs } from '../support/failing-fs.js'
import { TestServer } from '../support/server.js'

let srv: TestServer
afterEach(() => srv?.destroy())

describe('a full disk', () => {
  it('answers 503 with nothing half-stored, keeps serving reads, and recovers by itself', async () => {
    const disk = new FailingFs()
    srv = await TestServer.start({}, { storeOptions: { fs: disk.fs } })
    const [alice, bob] = await srv.users('alice', 'bob')
    await alice.login()
    const kept = await alice.send('bob', 'before the disk filled')

    disk.full = true
    const refused = await alice.send('bob', 'while the disk is full')
    assert.equal(refused.status, 503)
    assert.equal(refused.body.result.code, 503)
    assert.match(refused.body.result.text, /could not write to its store .* nothing was changed/)
    assert.ok(disk.failures > 0)
    assert.deepEqual((await alice.get('/quota')).body.outbox.queued, 1, 'the refused copy is not counted')
    const health = await fetch(srv.url + '/healthz')
    assert.equal(health.status, 503)
    assert.match((await health.json()).reason, /could not write to its store \(disk full or failing\)/)
    const reg = await bob.login()
    assert.equal(reg.body.result.code, 200, 'logging in needs no write')
    assert.equal((await bob.get('/messages')).body.total, 1, 'reads are served')
    const confirm = await bob.post(`/messages/${kept.body.messageId}/delivered`)
    assert.equal(confirm.body.result.code, 503)
    assert.equal((await bob.get('/messages')).body.total, 1, 'a confirmation that could not be written leaves the message')
    await bob.post('/logout')

    disk.full = false
    assert.equal((await fetch(srv.url + '/healthz')).status, 200)
    const after = await alice.send('bob', 'after space was freed')
    assert.equal(after.body.result.details[0].code, 202)

    srv = await srv.restart()
    const bob2 = srv.client('bob')
    await bob2.loginWith('pull')
    const bodies = (await bob2.get('/messages')).body.messages.map((m: { id: string }) => m.id)
    assert.deepEqual(bodies, [kept.body.messageId, after.body.messageId], 'the refused message never comes back')
  })

  it('refuses a new account with 503 and creates nothing', async () => {
    const disk = new FailingFs()
    srv = await TestServer.start({ registration: 'open' }, { storeOptions: { fs: disk.fs } })
    disk.full = true
    const c = srv.client('newbie')
    const a = await c.post('/users', { userId: 'newbie', password: 'long-enough' })
    assert.equal(a.body.result.code, 503)
    assert.equal((await srv.server.core.store.getUser('newbie')), undefined)
    disk.full = false
    assert.equal((await c.post('/users', { userId: 'newbie', password: 'long-enough' })).body.result.code, 200)
  })
})
