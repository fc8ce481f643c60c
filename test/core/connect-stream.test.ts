import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultConfig } from '../../src/config.js'
import { FakeClock } from '../../src/core/clock.js'
import { createCore } from '../../src/core/create-core.js'
import { connectStream, deliverNow } from '../../src/core/delivery.js'
import type { ServerEvent } from '../../src/core/hub.js'
import type { StoredMessage } from '../../src/core/types.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { msg, user } from '../support/records.js'

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

describe('a stream that connects while messages arrive', () => {
  for (const method of ['push', 'notify'] as const) {
    it(`${method}: gets every message once, the waiting ones first`, async () => {
      const store = new SlowStore()
      const core = createCore({ config: defaultConfig(), store, clock: new FakeClock() })
      await store.putUser(user('bob'))
      const old = msg('bob', 'alice', { validUntil: Infinity })
      await store.addMessages([old])
      const session = core.sessions.create('bob', 300, { offlineMessaging: true, deliveryMethod: method, acceptedContentTypes: ['text/plain'], acceptedContentLength: 65536 })
      const got: ServerEvent[] = []
      const connecting = connectStream(core, session, { send: (e) => got.push(e), close: () => {} })
      // while the waiting list is being read, a new message arrives and is handed to the stream at once
      const fresh = msg('bob', 'carol', { validUntil: Infinity })
      await store.addMessages([fresh])
      deliverNow(core, [fresh])
      assert.equal(got.length, 0, 'nothing goes out before the waiting list')
      store.release()
      await connecting
      const ids = got.flatMap((e) => (e.event === 'message' ? [e.message.id] : e.event === 'notification' ? e.messages.map((m) => m.id) : []))
      assert.deepEqual(ids, [old.id, fresh.id])
    })
  }
})
