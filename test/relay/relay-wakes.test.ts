import { before, describe, it } from 'node:test'
import type { Store } from '../../src/core/ports.js'
import type { Client } from '../support/client.js'
import { eventually } from '../support/eventually.js'
import { usePair } from '../support/relay.js'
import type { TestServer } from '../support/server.js'

/** letting go of a store's lock takes `ms` after the work is done, as a round trip to PostgreSQL does; `released` tells when */
function slowToLetGo(store: Store, ms: number): { released: () => Promise<void> } {
  const exclusive = store.exclusive.bind(store)
  let last = Promise.resolve()
  Object.assign(store, {
    exclusive: <T>(name: string, work: () => Promise<T>) => {
      const run = exclusive(name, work).then((v) => new Promise<T | undefined>((resolve) => setTimeout(resolve, ms, v)))
      last = run.then(() => {}, () => {})
      return run
    },
  })
  return { released: () => last }
}

describe('a message queued for a peer while the relay lets go of its lock is not left behind', () => {
  const pair = usePair()
  let a: TestServer
  let b: TestServer
  let alice: Client
  before(async () => {
    ;({ a, b } = pair)
    ;[alice] = await a.users('alice')
    await b.users('bob')
    await alice.login()
  })

  it('alice\'s second message, sent just as the batch with her first was taken, reaches bob@b.example too', async () => {
    const lock = slowToLetGo(a.server.core.store, 300)
    await alice.send('bob@b.example', 'first')
    await eventually('b.example has the first', async () => (await b.server.core.store.listMessages('bob')).length === 1)
    await alice.send('bob@b.example', 'second') // the queue is still letting go of the lock: it was woken meanwhile
    await lock.released()
    await eventually('b.example has the second as well', async () => (await b.server.core.store.listMessages('bob')).length === 2, 3000)
  })
})
