import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultConfig } from '../../src/config.js'
import { FakeClock } from '../../src/core/clock.js'
import { createCore } from '../../src/core/create-core.js'
import { attachSink } from '../../src/core/delivery.js'
import { catchUp, messagesArrived } from '../../src/core/remote.js'
import { PollQueue } from '../../src/core/poll-queue.js'
import type { Delivery } from '../../src/core/hub.js'
import type { StoredMessage } from '../../src/core/types.js'
import { MemoryStore } from '../../src/store/memory/memory-store.js'
import { copies, msg, user } from '../support/records.js'

/** a store whose mailbox reads wait until the test lets them through */
class SlowStore extends MemoryStore {
  release!: () => void
  readonly latch = new Promise<void>((resolve) => (this.release = resolve))
  override async listMessages(recipient: string): Promise<StoredMessage[]> {
    const list = await super.listMessages(recipient)
    await this.latch
    return list
  }
}

const caps = (deliveryMethod: 'push' | 'notify' | 'pull') =>
  ({ offlineMessaging: true, deliveryMethod, acceptedContentTypes: ['text/plain'], acceptedContentLength: 65536 })

const idsIn = (got: Delivery[]) =>
  got.flatMap((d) => (d.type === 'NewMessage' ? [d.message.id] : d.type === 'MessageNotification' ? d.messages.map((m) => m.id) : []))

/** a core on `store` where one message from alice waits for bob, and a session of bob's by `method` */
async function bobWithOneWaiting(store: MemoryStore, method: 'push' | 'notify' | 'pull') {
  const core = createCore({ config: defaultConfig(), store, clock: new FakeClock() })
  await store.putUser(user('bob'))
  const waiting = msg('bob', 'alice', { validUntil: Infinity })
  await store.addMessages(copies([waiting]))
  return { core, waiting, session: core.sessions.create('bob', 300, caps(method)) }
}

describe('a sink that attaches while messages arrive', () => {
  for (const method of ['push', 'notify'] as const) {
    it(`${method}: gets every message once, the waiting ones first`, async () => {
      const store = new SlowStore()
      const { core, waiting: old, session } = await bobWithOneWaiting(store, method)
      const got: Delivery[] = []
      const attaching = attachSink(core, session, { deliver: (d) => got.push(d), close: () => {} }, { holdsSession: true })
      // while the waiting list is being read, a new message is stored and announced on the bus
      const fresh = msg('bob', 'carol', { validUntil: Infinity })
      await store.addMessages(copies([fresh]))
      core.bus.publish({ type: 'MessageStored', message: fresh })
      assert.equal(got.length, 0, 'nothing goes out before the waiting list')
      store.release()
      await attaching
      assert.deepEqual(idsIn(got), [old.id, fresh.id])
    })
  }
})

describe('what holds a session alive', () => {
  it('a sink that holds the session keeps it alive past its time-to-live; a poll queue does not', async () => {
    const clock = new FakeClock()
    const core = createCore({ config: defaultConfig(), store: new MemoryStore(), clock })
    await core.store.putUser(user('bob'))
    const streaming = core.sessions.create('bob', 60, caps('push'))
    const polling = core.sessions.create('bob', 60, caps('push'))
    const detach = await attachSink(core, streaming, { deliver: () => {}, close: () => {} }, { holdsSession: true })
    await attachSink(core, polling, { deliver: () => {}, close: () => {} }, { holdsSession: false })
    clock.advance(61)
    assert.deepEqual(core.sessions.ofUser('bob'), [streaming], 'the polling session timed out')
    detach()
    clock.advance(59)
    assert.equal(core.sessions.online('bob'), true, 'the time-to-live counts from the moment the hold went away')
    clock.advance(2)
    assert.equal(core.sessions.online('bob'), false)
  })

  it('a session that times out is told so on its sinks (Disconnect 600), and the dashboard\'s feed hears of it', async () => {
    const clock = new FakeClock()
    const core = createCore({ config: defaultConfig(), store: new MemoryStore(), clock })
    await core.store.putUser(user('bob'))
    const session = core.sessions.create('bob', 60, caps('pull'))
    const got: Delivery[] = []
    let closed = false
    await attachSink(core, session, { deliver: (d) => got.push(d), close: () => (closed = true) }, { holdsSession: false })
    clock.advance(61)
    core.sessions.sweep()
    assert.deepEqual(got.map((d) => d.type === 'Disconnect' && d.result.code), [600])
    assert.equal(closed, true)
    assert.equal(core.activity.recent(1)[0].text, 'session expired')
  })
})

describe('a phone that polls', () => {
  it('finds what waited and what arrived since in its queue, in order, each once; the first arrival wakes it', async () => {
    const core = createCore({ config: defaultConfig(), store: new MemoryStore(), clock: new FakeClock() })
    await core.store.putUser(user('bob'))
    const waited = msg('bob', 'alice', { validUntil: Infinity })
    await core.store.addMessages(copies([waited]))
    const session = core.sessions.create('bob', 300, caps('push'))
    let wakes = 0
    const queue = new PollQueue(() => wakes++)
    await attachSink(core, session, queue, { holdsSession: false })
    assert.equal(wakes, 1, 'woken for what waited')
    assert.deepEqual(idsIn(queue.take()), [waited.id])
    const fresh = msg('bob', 'carol', { validUntil: Infinity })
    core.bus.publish({ type: 'MessageStored', message: fresh })
    core.bus.publish({ type: 'MessageStored', message: msg('bob', 'dave', { validUntil: Infinity }) })
    assert.equal(wakes, 2, 'woken once more, not per message')
    assert.equal(queue.take(1).length, 1)
    assert.equal(queue.size, 1)
  })

  it('keeps at most its bound, and says so, so that the phone lists what waits instead', () => {
    const queue = new PollQueue(() => {}, 2)
    for (let i = 0; i < 3; i++) queue.deliver({ type: 'NewMessage', message: msg('bob') })
    assert.equal(queue.size, 2)
    assert.equal(queue.overflowed, true)
    queue.deliver({ type: 'Disconnect', result: { code: 600, text: 'Session expired' } })
    assert.equal(queue.take().at(-1)?.type, 'Disconnect', 'the end of a session always gets through')
  })
})

describe('what another node tells this one (core/remote.ts)', () => {
  for (const method of ['push', 'notify'] as const) {
    it(`${method}: a re-read after a lost hint hands on only what the stream was not sent yet`, async () => {
      const store = new MemoryStore()
      const { core, waiting, session } = await bobWithOneWaiting(store, method)
      const got: Delivery[] = []
      await attachSink(core, session, { deliver: (d) => got.push(d), close: () => {} }, { holdsSession: true })
      const told = msg('bob', 'carol', { validUntil: Infinity })
      await store.addMessages(copies([told]))
      messagesArrived(core, [told])
      const missed = msg('bob', 'dave', { validUntil: Infinity })
      await store.addMessages(copies([missed]))
      await catchUp(core)
      await catchUp(core)
      assert.deepEqual(idsIn(got), [waiting.id, told.id, missed.id])
    })
  }
})
