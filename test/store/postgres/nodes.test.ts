import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ImpsError } from '../../../src/core/codes.js'
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { DatabaseError } from '../../../src/store/postgres/errors.js'
import { SCHEMA_VERSION } from '../../../src/store/postgres/schema.js'
import { CHANNEL, messagesHint as hint, parseHint, reportHint, usersHint } from '../../../src/store/postgres/hints.js'
import { NotifyListener } from '../../../src/store/postgres/listener.js'
import pg from 'pg'
import { eventually } from '../../support/eventually.js'
import { copies, msg, report } from '../../support/records.js'
import { postgresSkipReason, useTestCluster } from '../../support/postgres.js'

const cluster = useTestCluster()
const roomy = { outboxMaxMessages: 1_000, inboxMaxMessages: 1_000, inboxMaxBytes: 1 << 30 }

/** two stores on one database: two pools, as two nodes would hold */
async function twoNodes(): Promise<[PostgresStore, PostgresStore, string]> {
  const url = await (await cluster()).createDatabase()
  return [await PostgresStore.open(url, { poolSize: 5 }), await PostgresStore.open(url, { poolSize: 5 }), url]
}

describe('PostgresStore: several nodes on one database', { skip: postgresSkipReason() }, () => {
  it('a lock one node holds is not the other\'s until it lets go, nor held twice by one node', async () => {
    const [a, b] = await twoNodes()
    let release!: () => void
    let holding!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    const aHolds = new Promise<void>((resolve) => (holding = resolve))
    const first = a.exclusive('relay b.example', async () => {
      holding()
      await released
      return 'a handed over'
    })
    await aHolds
    assert.equal(await b.exclusive('relay b.example', async () => 'b too'), undefined, 'node b does not run while node a holds it')
    assert.equal(await a.exclusive('relay b.example', async () => 'again'), undefined, 'a second holder on the same node waits its turn too')
    assert.equal(await b.exclusive('relay c.example', async () => 'another peer'), 'another peer', 'each name is a lock of its own')
    release()
    assert.equal(await first, 'a handed over')
    assert.equal(await b.exclusive('relay b.example', async () => 'b now'), 'b now')
    await Promise.all([a.close(), b.close()])
  })

  it('a lock held for a long time takes no connection from the pool: a node with a pool of one still answers', async () => {
    const url = await (await cluster()).createDatabase()
    const store = await PostgresStore.open(url, { poolSize: 1, statementTimeoutMs: 2_000 })
    let release!: () => void
    let holding!: () => void
    const holds = new Promise<void>((resolve) => (holding = resolve))
    const held = store.exclusive('relay b.example', () => new Promise<void>((resolve) => {
      release = resolve
      holding()
    }))
    await holds
    assert.deepEqual(await store.waitingAt('b.example'), [], 'the pool\'s one connection is free while the lock is held')
    release()
    await held
    await store.close()
  })

  it('40 sends at once across two nodes to a box with room for 10 store exactly 10', async () => {
    const [a, b] = await twoNodes()
    const limits = { ...roomy, inboxMaxMessages: 10 }
    const sends = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).addMessages([{ message: msg('bob', `s${i}`), limits }]))
    const verdicts = (await Promise.all(sends)).flat()
    assert.equal(verdicts.filter((v) => v === 'stored').length, 10)
    assert.equal(verdicts.filter((v) => v === 410).length, 30)
    assert.equal((await b.listMessages('bob')).length, 10)
    assert.equal((await a.usage(['bob']))[0].inbox.messages, 10)
    await Promise.all([a.close(), b.close()])
  })

  it('40 sends at once across two nodes from a sender with room for 10 (to many boxes, both ways) store exactly 10', async () => {
    const [a, b] = await twoNodes()
    const limits = { ...roomy, outboxMaxMessages: 10 }
    // alice writes to r0…r39 while each of them writes back: the counter rows are locked in a fixed order, so no deadlock
    const sends = Array.from({ length: 40 }, (_, i) => [
      (i % 2 ? a : b).addMessages([{ message: msg(`r${i}`, 'alice'), limits }]),
      (i % 2 ? b : a).addMessages([{ message: msg('alice', `r${i}`), limits: roomy }]),
    ]).flat()
    const verdicts = (await Promise.all(sends)).flat()
    assert.equal(verdicts.filter((v) => v === 'stored').length, 50)
    assert.equal((await b.usage(['alice']))[0].outbox, 10)
    assert.equal((await a.usage(['alice']))[0].inbox.messages, 40)
    await Promise.all([a.close(), b.close()])
  })

  it('a copy confirmed on one node is gone on the other, and both agree how it ended; a confirm racing on both settles once', async () => {
    const [a, b] = await twoNodes()
    const m = msg('bob', 'alice', { deliveryReport: true })
    await a.addMessages(copies([m]))
    assert.equal((await b.getMessage('bob', m.id))?.id, m.id)
    assert.equal((await b.removeMessage('bob', m.id, { code: 200, report: report('alice', m.id) }))?.id, m.id)
    assert.equal(await a.getMessage('bob', m.id), undefined)
    assert.deepEqual(await a.listMessages('bob'), [])
    assert.equal(await a.settledOutcome('bob', m.id), 200)
    assert.equal((await a.listReports('alice')).length, 1)
    const n = msg('bob', 'alice')
    await b.addMessages(copies([n]))
    const both = await Promise.all([a, b].map((s, i) => s.removeMessage('bob', n.id, { code: i ? 200 : 542 })))
    assert.equal(both.filter(Boolean).length, 1)
    assert.equal(await a.settledOutcome('bob', n.id), both[0] ? 542 : 200)
    await Promise.all([a.close(), b.close()])
  })

  it('a database restart: a write during the outage rejects, and writes succeed afterwards without reopening the store', async () => {
    const [a, b] = await twoNodes()
    await a.addMessages(copies([msg('bob')]))
    const c = await cluster()
    await c.stop()
    const unavailable = (err: unknown) => err instanceof ImpsError && err.code === 503
    await assert.rejects(a.addMessages(copies([msg('bob')])), unavailable, 'no database, no acknowledgement: 503 at every door')
    await assert.rejects(b.checkWritable(), unavailable)
    await assert.rejects(b.listMessages('bob'), unavailable)
    await c.start()
    assert.deepEqual(await a.addMessages(copies([msg('bob')])), ['stored'])
    await b.checkWritable()
    assert.equal((await b.listMessages('bob')).length, 2, 'the first was kept, the one during the outage never stored')
    await Promise.all([a.close(), b.close()])
  })

  it('a send NOTIFYs a small hint in its transaction (the recipient and id, never the body); a refused one says nothing', async () => {
    const [a, b, url] = await twoNodes()
    const listener = new pg.Client({ connectionString: url })
    await listener.connect()
    const heard: string[] = []
    listener.on('notification', (n) => heard.push(n.payload ?? ''))
    await listener.query(`LISTEN ${CHANNEL}`)
    const m = msg('bob')
    await a.addMessages(copies([m]))
    await b.addMessages([{ message: msg('bob'), limits: { ...roomy, inboxMaxMessages: 1 } }])
    const many = Array.from({ length: 400 }, (_, i) => msg(`user${i % 3}`, 'alice', { id: `id-${i}-xxxxxxxxxxxxxxxx` }))
    await a.addMessages(copies(many))
    // a NOTIFY reaches listeners in commit order: once the last one is heard, so were the others
    await new Promise<void>((resolve) => {
      if (heard.length === 2) resolve()
      else listener.on('notification', () => heard.length === 2 && resolve())
    })
    assert.deepEqual(heard.map((p) => JSON.parse(p)), [{ m: [['bob', m.id]] }, { r: ['user0', 'user1', 'user2'] }], 'too long for NOTIFY: the boxes only')
    await listener.end()
    await Promise.all([a.close(), b.close()])
  })

  it('reads hints back as written, and anything else on the channel as "re-read everything" (never a throw)', () => {
    assert.deepEqual(parseHint(hint([['bob', 'm1']], 'n1')), { node: 'n1', messages: [['bob', 'm1']], boxes: [], all: false, reports: [], users: [], ended: [], started: [], watching: [] })
    assert.deepEqual(parseHint(reportHint('alice', 'r1', 'n2')).reports, [['alice', 'r1']])
    const sessions = parseHint(usersHint(['bob'], 'n1', { ended: [['s1', 601]], started: ['s2'], watching: ['s3'] }))
    assert.deepEqual([sessions.users, sessions.ended, sessions.started, sessions.watching], [['bob'], [['s1', 601]], ['s2'], ['s3']])
    for (const junk of [undefined, '', 'hello', '42', 'null', '{"m":"bob","u":[1,2]}']) {
      const h = parseHint(junk)
      assert.equal(h.all || (h.messages.length === 0 && h.users.length === 0), true, String(junk))
    }
    assert.equal(parseHint('not json').all, true)
  })

  it('the listening connection, cut by the database, comes back by itself and says so: a hint sent meanwhile is lost, hence the re-read', async () => {
    const url = await (await cluster()).createDatabase()
    const heard: string[] = []
    let listening = 0
    const listener = new NotifyListener({
      url, channel: CHANNEL, applicationName: 'pigeonhole-listen test', minBackoffMs: 300, log: () => {},
      onHint: (payload) => heard.push(payload ?? ''), onListening: () => listening++,
    })
    listener.start()
    const db = new pg.Client({ connectionString: url })
    await db.connect()
    const listeners = "SELECT pid FROM pg_stat_activity WHERE application_name = 'pigeonhole-listen test'"
    await eventually('listening', () => listening === 1)
    await db.query('SELECT pg_notify($1, $2)', [CHANNEL, 'first'])
    await eventually('the first hint', () => heard.length === 1)
    await db.query(`SELECT pg_terminate_backend(pid) FROM (${listeners}) l`)
    await eventually('the connection is gone', async () => (await db.query(listeners)).rowCount === 0)
    await db.query('SELECT pg_notify($1, $2)', [CHANNEL, 'lost'])
    await eventually('listening again', () => listening === 2)
    await db.query('SELECT pg_notify($1, $2)', [CHANNEL, 'after'])
    await eventually('the hint after', () => heard.length === 2)
    assert.deepEqual(heard, ['first', 'after'])
    await listener.close()
    await db.end()
  })

  it('refuses a database with a newer schema, and one that cannot be reached, in one sentence', async () => {
    const [a, , url] = await twoNodes()
    await a.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query('UPDATE pigeonhole_schema SET version = $1', [SCHEMA_VERSION + 1])
    await client.end()
    await assert.rejects(PostgresStore.open(url), (err: Error) => err instanceof DatabaseError && /schema is version \d+, newer/.test(err.message) && !err.message.includes('\n'))
    const nowhere = `postgres://pigeonhole:secret@127.0.0.1:1/pigeonhole`
    await assert.rejects(PostgresStore.open(nowhere), (err: Error) => err instanceof DatabaseError && /cannot reach the database at 127\.0\.0\.1:1\/pigeonhole/.test(err.message) && !err.message.includes('secret'))
  })
})
