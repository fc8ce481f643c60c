import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Batcher, fulfilled } from '../../../src/store/postgres/batcher.js'

/** a `run` the test answers by hand, batch by batch */
function manual() {
  const batches: Array<{ items: number[]; answer: (r: Array<PromiseSettledResult<string>>) => void; fail: (err: unknown) => void }> = []
  const run = (items: number[]) => new Promise<Array<PromiseSettledResult<string>>>((answer, fail) => batches.push({ items, answer, fail }))
  return { batches, run }
}

describe('Batcher: group commit in the node', () => {
  it('calls of one tick go together; calls made while it is in flight wait and form the next batch', async () => {
    const { batches, run } = manual()
    const b = new Batcher(run, 1)
    const first = [b.submit(1), b.submit(2)]
    await Promise.resolve()
    assert.deepEqual(batches.map((x) => x.items), [[1, 2]])
    const later = [b.submit(3), b.submit(4), b.submit(5)]
    await Promise.resolve()
    assert.equal(batches.length, 1, 'one in flight at a time')
    batches[0].answer(fulfilled(['one', 'two']))
    assert.deepEqual(await Promise.all(first), ['one', 'two'])
    assert.deepEqual(batches.map((x) => x.items), [[1, 2], [3, 4, 5]])
    batches[1].answer(fulfilled(['three', 'four', 'five']))
    assert.deepEqual(await Promise.all(later), ['three', 'four', 'five'])
  })

  it('each call hears its own outcome; a batch that fails as a whole fails each of its calls, and the next batch still runs', async () => {
    const { batches, run } = manual()
    const b = new Batcher(run, 1)
    const [x, y] = [b.submit(1), b.submit(2)]
    await Promise.resolve()
    batches[0].answer([{ status: 'fulfilled', value: 'ok' }, { status: 'rejected', reason: new Error('duplicate id') }])
    assert.equal(await x, 'ok')
    await assert.rejects(y, /duplicate id/)
    const z = b.submit(3)
    await Promise.resolve()
    batches[1].fail(new Error('database gone'))
    await assert.rejects(z, /database gone/)
    const w = b.submit(4)
    await Promise.resolve()
    batches[2].answer(fulfilled(['back']))
    assert.equal(await w, 'back')
  })

  it('at most maxInFlight batches of at most maxItems run at once', async () => {
    const { batches, run } = manual()
    const b = new Batcher(run, 2, 2)
    const all = [1, 2, 3, 4, 5].map((i) => b.submit(i))
    await Promise.resolve()
    assert.deepEqual(batches.map((x) => x.items), [[1, 2], [3, 4]])
    batches[0].answer(fulfilled(['a', 'b']))
    await all[0]
    await new Promise(setImmediate) // the answered batch's slot is freed once its callbacks have run
    assert.deepEqual(batches.map((x) => x.items), [[1, 2], [3, 4], [5]])
    batches[1].answer(fulfilled(['c', 'd']))
    batches[2].answer(fulfilled(['e']))
    assert.deepEqual(await Promise.all(all), ['a', 'b', 'c', 'd', 'e'])
  })
})
