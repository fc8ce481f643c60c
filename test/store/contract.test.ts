import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { LowdbStore } from '../../src/store/lowdb-store.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { Store } from '../../src/store/store.js'
import { msg, report, user } from '../support/records.js'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const kinds: Array<{ name: string; open: () => Promise<{ store: Store; reopen?: () => Promise<Store> }> }> = [
  { name: 'MemoryStore', open: async () => ({ store: new MemoryStore() }) },
  {
    name: 'LowdbStore',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-store-'))
      dirs.push(dir)
      const store = await LowdbStore.open(dir)
      return { store, reopen: async () => (await store.close(), LowdbStore.open(dir)) }
    },
  },
]

for (const kind of kinds) {
  describe(`Store contract: ${kind.name}`, () => {
    it('keeps users and meta', async () => {
      const { store } = await kind.open()
      await store.putUser(user('bob'))
      await store.putMeta('k', 'v')
      assert.equal(store.getUser('bob')?.id, 'bob')
      assert.deepEqual(store.listUsers().map((u) => u.id), ['bob'])
      assert.equal(store.getMeta('k'), 'v')
      assert.equal(store.getUser('nobody'), undefined)
      await store.close()
    })

    it('lists messages oldest first and counts them per recipient and per sender', async () => {
      const { store } = await kind.open()
      const a = msg('bob')
      const b = msg('bob', 'carol')
      const c = msg('dave')
      await store.addMessages([a, c])
      await store.addMessages([b])
      assert.deepEqual((await store.listMessages('bob')).map((m) => m.id), [a.id, b.id])
      assert.deepEqual(store.inboxUsage('bob'), { messages: 2, bytes: a.size + b.size })
      assert.equal(store.outboxQueued('alice'), 2)
      assert.equal(store.outboxQueued('carol'), 1)
      assert.deepEqual((await store.getMessage('bob', b.id))?.body, b.body)
      assert.equal(await store.getMessage('bob', c.id), undefined, 'a message is found only in its recipient box')
      await store.close()
    })

    it('removes a message and files its report in one step; removing twice changes nothing', async () => {
      const { store } = await kind.open()
      const a = msg('bob')
      await store.addMessages([a])
      const r = report('alice', a.id)
      assert.equal((await store.removeMessage('bob', a.id, r))?.id, a.id)
      assert.equal(await store.removeMessage('bob', a.id, report('alice', a.id)), undefined)
      assert.deepEqual(store.inboxUsage('bob'), { messages: 0, bytes: 0 })
      assert.equal(store.outboxQueued('alice'), 0)
      assert.deepEqual((await store.listReports('alice')).map((x) => x.id), [r.id], 'the second remove filed no report')
      assert.equal(store.reportCount('alice'), 1)
      assert.equal((await store.removeReport('alice', r.id))?.id, r.id)
      assert.equal(await store.removeReport('alice', r.id), undefined)
      assert.equal(store.reportCount('alice'), 0)
      await store.close()
    })

    it('summarises mailboxes with their earliest expiry', async () => {
      const { store } = await kind.open()
      await store.addMessages([msg('bob', 'alice', { validUntil: 500 }), msg('bob', 'alice', { validUntil: 100 })])
      const [box] = store.mailboxes()
      assert.equal(box.user, 'bob')
      assert.equal(box.messages, 2)
      assert.equal(box.earliestValidUntil, 100)
      assert.equal(store.stats().messages, 2)
      await store.close()
    })

    if (kind.name === 'LowdbStore') {
      it('keeps everything across a reopen, counters included', async () => {
        const { store, reopen } = await kind.open()
        await store.putUser(user('bob'))
        const a = msg('bob')
        const b = msg('bob')
        await store.addMessages([a, b])
        await store.removeMessage('bob', a.id, report('alice', a.id))
        const again = await reopen!()
        assert.deepEqual((await again.listMessages('bob')).map((m) => m.id), [b.id])
        assert.deepEqual(again.inboxUsage('bob'), { messages: 1, bytes: b.size })
        assert.equal(again.outboxQueued('alice'), 1)
        assert.equal(again.reportCount('alice'), 1)
        assert.equal(again.getUser('bob')?.id, 'bob')
        await again.close()
      })
    }
  })
}
