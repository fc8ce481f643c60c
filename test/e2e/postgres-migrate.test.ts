import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setQuotas } from '../../src/core/admin.js'
import { blockEntity } from '../../src/core/blocklist.js'
import { FakeClock } from '../../src/core/clock.js'
import { runCli as cli } from '../support/cli.js'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { TestServer } from '../support/server.js'
import { tempDir } from '../support/temp.js'

const cluster = useTestCluster()

/** the migrate table's line for `label`: [data directory, copied, database now] */
function counts(out: string, label: string): number[] {
  const line = out.split('\n').find((l) => l.startsWith(label))
  assert.ok(line, `no "${label}" line in:\n${out}`)
  return line.slice(label.length).trim().split(/\s+/).map(Number)
}

describe('pigeonhole migrate: a data directory moves into PostgreSQL and the conversation goes on there', { skip: postgresSkipReason() }, () => {
  it('alice writes to offline bob and carol has a report waiting on the embedded server; after migrate, a node on the database delivers both', async () => {
    const dataDir = tempDir()
    const clock = new FakeClock()
    const embedded = await TestServer.start({}, { dataDir, clock })
    const [alice, , carol, dave] = await embedded.users('alice', 'bob', 'carol', 'dave')
    const core = embedded.server.core
    await setQuotas(core, 'bob', { inboxMaxMessages: 50 })
    await blockEntity(core, 'bob', { block: { inUse: true, add: ['eve'] } })
    await alice.login()
    assert.equal((await alice.addContact('bob', 'Bobby')).status, 200)
    const sent = await alice.send('bob', 'See you at eight', { deliveryReport: true })
    assert.equal(sent.body.result.details[0].code, 202, 'bob is offline: it waits')
    await carol.login()
    await dave.loginWith('pull')
    const toDave = await carol.send('dave', 'lunch?', { deliveryReport: true })
    assert.equal((await dave.post(`/messages/${toDave.body.messageId}/delivered`)).body.result.code, 200)
    const adminHash = await core.store.getMeta('admin.passwordHash')

    const url = await (await cluster()).createDatabase()
    const env = { PIGEONHOLE_DATABASE_URL: url }
    const locked = await cli(['migrate', '--from', dataDir], { env })
    assert.equal(locked.code, 2, 'refused while the server holds the data directory')
    assert.match(locked.err, /^pigeonhole: the data directory \S+ is in use by another Pigeonhole \(pid \d+\); stop it first\n$/)
    await embedded.stop()

    const moved = await cli(['migrate', '--from', dataDir], { env })
    assert.equal(moved.code, 0, moved.err)
    assert.match(moved.out, /^copied \S+ into the database at 127\.0\.0\.1:\d+\/t\d+\n/)
    assert.deepEqual(counts(moved.out, 'users'), [4, 4, 4])
    assert.deepEqual(counts(moved.out, 'messages waiting'), [1, 1, 1])
    assert.deepEqual(counts(moved.out, 'reports waiting'), [1, 1, 1])
    assert.deepEqual(counts(moved.out, 'settled outcomes'), [1, 1, 1], "dave's confirm is remembered")

    const again = await cli(['migrate', '--from', dataDir], { env })
    assert.equal(again.code, 2)
    assert.match(again.err, /^pigeonhole: the database at \S+ already holds 4 users; migrate fills an empty database \(add --merge[^\n]*\n$/)
    const merged = await cli(['migrate', '--from', dataDir, '--merge'], { env })
    assert.equal(merged.code, 0, merged.err)
    assert.deepEqual(counts(merged.out, 'messages waiting'), [1, 0, 1], 'a second run copies nothing twice')
    assert.deepEqual(counts(merged.out, 'users'), [4, 0, 4])

    const node = await TestServer.start({ databaseUrl: url, databasePool: 4 }, { clock })
    try {
      const bob = node.client('bob')
      const login = await bob.loginWith('pull')
      assert.equal(login.body.result.code, 200, "bob's password hash came along")
      assert.deepEqual(login.body.pending, { messages: 1, reports: 0 })
      const [waiting] = (await bob.get('/messages')).body.messages
      assert.equal(waiting.id, sent.body.messageId, 'the same id')
      assert.equal(waiting.offline, true)
      assert.equal((await bob.get(`/messages/${waiting.id}`)).body.message.body, 'See you at eight')
      assert.equal((await bob.post(`/messages/${waiting.id}/delivered`)).body.result.code, 200)

      const aliceThere = node.client('alice')
      await aliceThere.login()
      const reports = (await aliceThere.get('/reports')).body.reports
      assert.deepEqual(reports.map((r: { messageId: string; result: { code: number } }) => [r.messageId, r.result.code]), [[sent.body.messageId, 200]])
      const carolThere = node.client('carol')
      await carolThere.login()
      assert.deepEqual((await carolThere.get('/reports')).body.reports.map((r: { messageId: string }) => r.messageId), [toDave.body.messageId])

      const reply = await bob.send('alice', 'eight it is')
      assert.equal(reply.body.result.code, 200, 'chatting goes on: alice is logged in on the node')
      assert.deepEqual((await aliceThere.get('/messages')).body.messages.map((m: { body?: string; size: number }) => m.size), [11])
      const store = node.server.core.store
      assert.equal((await store.getUser('bob'))?.quotas.inboxMaxMessages, 50)
      assert.deepEqual((await store.getUser('bob'))?.block, { inUse: true, users: ['eve'] })
      assert.deepEqual((await store.getUser('alice'))?.lists?.[0]?.contacts, [{ userId: 'bob', nickname: 'Bobby' }])
      assert.equal(await store.getMeta('admin.passwordHash'), adminHash, 'the dashboard password too')
      assert.deepEqual((await store.usage(['bob', 'alice'])).map((u) => [u.inbox.messages, u.outbox]), [[0, 1], [1, 0]], 'counters recomputed')
    } finally {
      await node.destroy()
    }
  })

  it('refuses without a database URL, and a directory that holds no store, in one line each', async () => {
    const noUrl = await cli(['migrate', '--from', tempDir()])
    assert.equal(noUrl.code, 2)
    assert.match(noUrl.err, /^pigeonhole: migrate copies a data directory into PostgreSQL: set PIGEONHOLE_DATABASE_URL[^\n]*\n$/)
    const url = await (await cluster()).createDatabase()
    const empty = await cli(['migrate', '--from', tempDir()], { env: { PIGEONHOLE_DATABASE_URL: url } })
    assert.equal(empty.code, 2)
    assert.match(empty.err, /^pigeonhole: there is no Pigeonhole store in \S+ \(no accounts\.json\); name the data directory to copy with --from\n$/)
  })
})
