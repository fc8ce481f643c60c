import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultConfig } from '../../src/config.js'
import { blockEntity } from '../../src/core/blocklist.js'
import { FakeClock } from '../../src/core/clock.js'
import type { Core } from '../../src/core/context.js'
import { createCore } from '../../src/core/create-core.js'
import { pendingFor } from '../../src/core/delivery.js'
import { sweep } from '../../src/core/expiry.js'
import { messageDelivered, sendMessage } from '../../src/core/messaging.js'
import type { Session } from '../../src/core/sessions.js'
import { LowdbStore } from '../../src/store/embedded/lowdb-store.js'
import { MemoryStore } from '../../src/store/memory/memory-store.js'
import type { Store } from '../../src/store/store.js'
import { user } from '../support/records.js'
import { tempDir } from '../support/temp.js'

const caps = { offlineMessaging: true, deliveryMethod: 'pull' as const, acceptedContentTypes: ['text/plain'], acceptedContentLength: 65536 }

const stores: Array<{ name: string; open: () => Promise<Store> }> = [
  { name: 'the memory store', open: async () => new MemoryStore() },
  { name: 'the embedded store', open: () => LowdbStore.open(tempDir('pigeonhole-races-')) },
]

/** a core over `store` with users who need no password, and a way to log them in */
async function world(store: Store, ...names: string[]) {
  const clock = new FakeClock()
  const core = createCore({ config: { ...defaultConfig(), inboxMaxMessages: 10 }, store, clock })
  for (const n of names) await store.createUser(user(n))
  const login = (name: string): Session => core.sessions.create(name, 300, caps)
  return { core, clock, login }
}

const send = (core: Core, from: Session, to: string, body = 'hi', extra = {}) =>
  sendMessage(core, from, { to: [to], body, contentType: 'text/plain', deliveryReport: true, ...extra })

for (const kind of stores) {
  describe(`the core's rules under concurrency, on ${kind.name}`, () => {
    it('40 senders write at once to bob, whose offline store holds 10: exactly 10 are kept, 30 hear 410', async () => {
      const senders = Array.from({ length: 40 }, (_, i) => `s${i}`)
      const { core, login } = await world(await kind.open(), 'bob', ...senders)
      const results = await Promise.all(senders.map((s) => send(core, login(s), 'bob')))
      const codes = results.map((r) => r.result.details?.[0].code)
      assert.equal(codes.filter((c) => c === 202).length, 10)
      assert.equal(codes.filter((c) => c === 410).length, 30)
      assert.equal((await core.store.listMessages('bob')).length, 10)
      await core.store.close()
    })

    it('bob blocks alice while her waiting message is being delivered: it ends exactly once, as the confirm says', async () => {
      const { core, login } = await world(await kind.open(), 'alice', 'bob')
      const alice = login('alice')
      for (let round = 0; round < 5; round++) {
        const { messageId } = await send(core, alice, 'bob', `round ${round}`)
        await blockEntity(core, 'bob', { block: { inUse: false } })
        const [confirmed] = await Promise.allSettled([
          messageDelivered(core, 'bob', messageId!),
          blockEntity(core, 'bob', { block: { inUse: true, add: ['alice'] } }),
          pendingFor(core, 'bob'),
        ])
        await pendingFor(core, 'bob') // what the block drops, it drops now
        const reports = (await core.store.listReports('alice')).filter((r) => r.messageId === messageId)
        assert.equal(reports.length, 1, 'one final outcome')
        assert.equal(reports[0].code, confirmed.status === 'fulfilled' ? 200 : 532)
        await blockEntity(core, 'bob', { block: { remove: ['alice'] } })
      }
      await core.store.close()
    })

    it('bob confirms just as the sweep expires the message: one report, and his confirm is told the truth', async () => {
      const { core, clock, login } = await world(await kind.open(), 'alice', 'bob')
      const { messageId } = await send(core, login('alice'), 'bob', 'soon gone', { validity: 10 })
      clock.advance(10)
      const [confirm] = await Promise.allSettled([messageDelivered(core, 'bob', messageId!), sweep(core)])
      const reports = await core.store.listReports('alice')
      assert.equal(reports.length, 1)
      // expired before the confirm arrived: the confirm must not be answered 200 while the sender hears 542
      assert.equal(reports[0].code, 542)
      assert.equal(confirm.status, 'rejected')
      await core.store.close()
    })

    it('a MessageDelivered sent twice at once is answered 200 twice and files one report', async () => {
      const { core, login } = await world(await kind.open(), 'alice', 'bob')
      const { messageId } = await send(core, login('alice'), 'bob')
      await Promise.all([messageDelivered(core, 'bob', messageId!), messageDelivered(core, 'bob', messageId!)])
      assert.equal((await core.store.listReports('alice')).length, 1)
      await core.store.close()
    })
  })
}

describe('a MessageDelivered retried after a restart', () => {
  it('is answered 200 again, from what the embedded store remembers', async () => {
    const dir = tempDir('pigeonhole-retry-')
    const first = await world(await LowdbStore.open(dir), 'alice', 'bob')
    const { messageId } = await send(first.core, first.login('alice'), 'bob')
    await messageDelivered(first.core, 'bob', messageId!)
    await first.core.store.close()
    const store = await LowdbStore.open(dir)
    const core = createCore({ config: defaultConfig(), store, clock: new FakeClock() })
    await messageDelivered(core, 'bob', messageId!)
    await assert.rejects(messageDelivered(core, 'bob', 'never-sent'), { code: 426 })
    await store.close()
  })
})
