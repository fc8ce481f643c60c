import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CopyLimits, CopyVerdict, Store } from '../../../src/store/store.js'
import { copies, msg, report, user } from '../../support/records.js'

export interface OpenedStore {
  store: Store
  /** closes the store and opens it again on the same data, where the store keeps any */
  reopen?: () => Promise<Store>
}

const roomy: CopyLimits = { outboxMaxMessages: 1_000, inboxMaxMessages: 1_000, inboxMaxBytes: 1 << 30 }
const usageOf = async (store: Store, id: string) => (await store.usage([id]))[0]
const count = (verdicts: CopyVerdict[], v: CopyVerdict) => verdicts.filter((x) => x === v).length

/**
 * The promises every Store makes, as one suite: run it on each store (embedded, memory, PostgreSQL) so that
 * the core can rely on the port and not on one implementation. The races run many calls at once, the way
 * concurrent requests do.
 */
export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`Store contract: ${name}`, () => {
    it('keeps users and meta; a taken id cannot be created twice', async () => {
      const { store } = await open()
      assert.equal(await store.createUser(user('bob')), true)
      assert.equal(await store.createUser({ ...user('bob'), passwordHash: 'other' }), false, 'the id is taken')
      assert.equal((await store.getUser('bob'))?.passwordHash, 'h', 'the first one stays')
      await store.putUser({ ...user('bob'), disabled: true })
      await store.putMeta('k', 'v')
      assert.equal((await store.getUser('bob'))?.disabled, true)
      assert.deepEqual((await store.listUsers()).map((u) => u.id), ['bob'])
      assert.equal(await store.getMeta('k'), 'v')
      assert.equal(await store.getMeta('nothing'), undefined)
      assert.equal(await store.getUser('nobody'), undefined)
      assert.equal(await store.getUser('constructor'), undefined, 'no prototype property reads as a user')
      assert.equal((await store.stats()).disabled, 1)
      assert.equal(await store.deleteUser('bob'), true)
      assert.equal(await store.deleteUser('bob'), false)
      assert.equal(await store.getUser('bob'), undefined)
      await store.close()
    })

    it('lists messages oldest first and counts them per recipient and per sender', async () => {
      const { store } = await open()
      const [a, b, c] = [msg('bob'), msg('bob', 'carol'), msg('dave')]
      assert.deepEqual(await store.addMessages(copies([a, c])), ['stored', 'stored'])
      await store.addMessages(copies([b]))
      assert.deepEqual((await store.listMessages('bob')).map((m) => m.id), [a.id, b.id])
      assert.deepEqual((await usageOf(store, 'bob')).inbox, { messages: 2, bytes: a.size + b.size })
      assert.deepEqual((await store.usage(['alice', 'carol'])).map((u) => u.outbox), [2, 1])
      assert.equal((await store.getMessage('bob', b.id))?.body, b.body)
      assert.equal(await store.getMessage('bob', c.id), undefined, 'a message is found only in its recipient box')
      assert.deepEqual(await store.largestMailboxes(1), [{ user: 'bob', messages: 2, bytes: a.size + b.size }])
      assert.equal((await store.stats()).messages, 3)
      await store.close()
    })

    it('settles a copy and files its report in one step; settling twice changes nothing and the first outcome is remembered', async () => {
      const { store } = await open()
      const a = msg('bob', 'alice', { deliveryReport: true })
      await store.addMessages(copies([a]))
      const r = report('alice', a.id)
      assert.equal((await store.removeMessage('bob', a.id, { code: 200, report: r }))?.id, a.id)
      assert.equal(await store.removeMessage('bob', a.id, { code: 538, report: report('alice', a.id) }), undefined)
      assert.equal(await store.settledOutcome('bob', a.id), 200)
      assert.equal(await store.settledOutcome('bob', 'never-sent'), undefined)
      assert.deepEqual(await usageOf(store, 'alice'), { user: 'alice', inbox: { messages: 0, bytes: 0 }, outbox: 0, reports: 1 })
      assert.deepEqual((await store.listReports('alice')).map((x) => x.id), [r.id], 'the second settle filed no report')
      assert.equal((await store.removeReport('alice', r.id))?.id, r.id)
      assert.equal(await store.removeReport('alice', r.id), undefined)
      assert.equal((await usageOf(store, 'alice')).reports, 0)
      await store.close()
    })

    it('names the mailboxes due for expiry, and lists the newest reports of an outcome', async () => {
      const { store } = await open()
      await store.addMessages(copies([msg('bob', 'alice', { validUntil: 500 }), msg('carol', 'alice', { validUntil: 100 })]))
      assert.deepEqual(await store.dueForExpiry(50), [])
      assert.deepEqual(await store.dueForExpiry(100), ['carol'])
      assert.deepEqual((await store.dueForExpiry(1_000)).sort(), ['bob', 'carol'])
      const [m1, m2, m3] = [msg('x'), msg('y'), msg('z')]
      await store.addMessages(copies([m1, m2, m3]))
      await store.removeMessage('x', m1.id, { code: 200, report: { ...report('alice', m1.id), at: 1 } })
      await store.removeMessage('y', m2.id, { code: 542, report: { ...report('alice', m2.id), code: 542, at: 2 } })
      await store.removeMessage('z', m3.id, { code: 200, report: { ...report('dave', m3.id), at: 3 } })
      assert.deepEqual((await store.recentReports({ limit: 10 })).map((r) => r.messageId), [m3.id, m2.id, m1.id])
      assert.deepEqual((await store.recentReports({ code: 200, limit: 1 })).map((r) => r.messageId), [m3.id])
      await store.close()
    })

    it('runs work under a named lock and hands back what it returned; the work\'s failure is the caller\'s', async () => {
      const { store } = await open()
      assert.equal(await store.exclusive('relay b.example', async () => 42), 42)
      await assert.rejects(store.exclusive('relay b.example', async () => { throw new Error('peer down') }), /peer down/)
      assert.equal(await store.exclusive('relay b.example', async () => 'free again'), 'free again', 'a failed holder lets go')
      await store.close()
    })

    it('keeps the relay\'s backlog: copies and reports for a peer\'s addresses, and reports that came from a peer, once', async () => {
      const { store } = await open()
      const [toBob, toCarol, local] = [msg('bob@b.example'), msg('carol@b.example'), msg('dave')]
      await store.addMessages(copies([toBob, toCarol, local, msg('erin@c.example')]))
      await store.removeMessage('dave', local.id, { code: 200, report: report('zed@b.example', local.id) })
      assert.deepEqual(await store.waitingAt('b.example'), ['bob@b.example', 'carol@b.example', 'zed@b.example'])
      assert.deepEqual(await store.waitingAt('example'), [], 'a domain matches whole, not as a suffix of another')
      assert.deepEqual(await store.waitingAt('b%example'), [], 'a domain is no pattern')
      await store.removeMessage('bob@b.example', toBob.id, { code: 202 })
      assert.deepEqual(await store.waitingAt('b.example'), ['carol@b.example', 'zed@b.example'])

      // b.example reports back on the copy it took (toBob, handed over as 202)
      const fromPeer = { ...report('alice', toBob.id), recipient: 'bob@b.example' }
      assert.equal(await store.fileRelayedReport(fromPeer), true)
      assert.equal(await store.fileRelayedReport({ ...fromPeer, id: 'r-again', text: 'again' }), false, 'a report the peer sends again is filed once')
      await store.removeReport('alice', fromPeer.id)
      assert.equal(await store.fileRelayedReport({ ...fromPeer, id: 'r-after-ack' }), false, 'even after the sender took the first one')
      assert.equal(await store.fileRelayedReport({ ...report('alice', 'never-sent'), recipient: 'bob@b.example' }), false, 'nor one about a message never handed over')
      assert.equal(await store.fileRelayedReport({ ...report('alice', toCarol.id), recipient: 'carol@b.example' }), false, 'nor one about a copy still queued here')
      assert.equal((await store.usage(['alice']))[0].reports, 0)
      await store.close()
    })

    it('refuses an offline copy over the sender\'s queue (507, checked first) or the recipient\'s store (410); copies without limits are not held to any', async () => {
      const { store } = await open()
      const limits = { outboxMaxMessages: 2, inboxMaxMessages: 1, inboxMaxBytes: 1 << 20 }
      const verdicts = await store.addMessages([
        { message: msg('bob'), limits }, { message: msg('bob'), limits }, { message: msg('carol'), limits },
        { message: msg('dave'), limits }, { message: msg('erin') },
      ])
      assert.deepEqual(verdicts, ['stored', 410, 'stored', 507, 'stored'], 'a send counts its own earlier copies')
      const bytes = { outboxMaxMessages: 100, inboxMaxMessages: 100, inboxMaxBytes: 30 }
      const big = msg('frank', 'gina', { body: 'x'.repeat(20), size: 20 })
      assert.deepEqual(await store.addMessages([{ message: big, limits: bytes }, { message: msg('frank', 'gina', { size: 11 }), limits: bytes }]), ['stored', 410])
      assert.deepEqual((await store.listMessages('frank')).map((m) => m.id), [big.id], 'a refused copy is not stored')
      await store.close()
    })

    it('race: 40 sends at once to a store with room for 10 store exactly 10', async () => {
      const { store } = await open()
      const limits = { ...roomy, inboxMaxMessages: 10 }
      const verdicts = (await Promise.all(Array.from({ length: 40 }, (_, i) => store.addMessages([{ message: msg('bob', `s${i}`), limits }])))).flat()
      assert.equal(count(verdicts, 'stored'), 10)
      assert.equal(count(verdicts, 410), 30)
      assert.equal((await store.listMessages('bob')).length, 10)
      await store.close()
    })

    it('race: 40 sends at once from a sender with room for 10 store exactly 10', async () => {
      const { store } = await open()
      const limits = { ...roomy, outboxMaxMessages: 10 }
      const verdicts = (await Promise.all(Array.from({ length: 40 }, (_, i) => store.addMessages([{ message: msg(`r${i}`, 'alice'), limits }])))).flat()
      assert.equal(count(verdicts, 'stored'), 10)
      assert.equal(count(verdicts, 507), 30)
      assert.equal((await usageOf(store, 'alice')).outbox, 10)
      await store.close()
    })

    it('race: a confirm sent twice at once settles the copy once, and both learn it was delivered', async () => {
      const { store } = await open()
      const a = msg('bob', 'alice', { deliveryReport: true })
      await store.addMessages(copies([a]))
      const settles = await Promise.all([1, 2].map(() => store.removeMessage('bob', a.id, { code: 200, report: report('alice', a.id) })))
      assert.equal(settles.filter(Boolean).length, 1)
      assert.deepEqual(await Promise.all([1, 2].map(() => store.settledOutcome('bob', a.id))), [200, 200])
      assert.equal((await store.listReports('alice')).length, 1, 'one report')
      await store.close()
    })

    it('race: a confirm and the expiry sweep at once: one wins, and the outcome remembered is the winner\'s', async () => {
      const { store } = await open()
      for (let round = 0; round < 10; round++) {
        const a = msg('bob', 'alice', { deliveryReport: true })
        await store.addMessages(copies([a]))
        const [confirm, expire] = await Promise.all([
          store.removeMessage('bob', a.id, { code: 200, report: report('alice', a.id) }),
          store.removeMessage('bob', a.id, { code: 542, report: { ...report('alice', a.id), code: 542 } }),
        ])
        assert.ok(Boolean(confirm) !== Boolean(expire), 'exactly one settles it')
        assert.equal(await store.settledOutcome('bob', a.id), confirm ? 200 : 542)
      }
      assert.equal((await store.listReports('alice')).length, 10, 'one report per copy')
      await store.close()
    })

    it('remembers how a copy was settled across a reopen (where the store keeps data), counters included', async (t) => {
      const { store, reopen } = await open()
      if (!reopen) return t.skip('this store keeps nothing across a reopen')
      await store.putUser(user('bob'))
      const [a, b] = [msg('bob'), msg('bob')]
      await store.addMessages(copies([a, b]))
      await store.removeMessage('bob', a.id, { code: 200, report: report('alice', a.id) })
      const again = await reopen()
      assert.deepEqual((await again.listMessages('bob')).map((m) => m.id), [b.id])
      assert.deepEqual(await usageOf(again, 'bob'), { user: 'bob', inbox: { messages: 1, bytes: b.size }, outbox: 0, reports: 0 })
      assert.deepEqual(await usageOf(again, 'alice'), { user: 'alice', inbox: { messages: 0, bytes: 0 }, outbox: 1, reports: 1 })
      assert.equal(await again.settledOutcome('bob', a.id), 200, 'a MessageDelivered retried after a restart is answered the same')
      assert.equal((await again.getUser('bob'))?.id, 'bob')
      await again.close()
    })
  })
}
