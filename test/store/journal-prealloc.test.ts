import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { nodeFs } from '../../src/store/embedded/fs.js'
import { Journal } from '../../src/store/embedded/journal.js'
import { msg } from '../support/records.js'
import { tempDir } from '../support/temp.js'


describe('journal segments written ahead with zeros', () => {
  it('reads back every batch, and the zero tail is neither a batch nor a torn line', async () => {
    const dir = tempDir('pigeonhole-journal-')
    const journal = new Journal(dir, nodeFs)
    await journal.start(0)
    const batches = Array.from({ length: 50 }, (_, i) => [{ o: 'm' as const, m: msg(`u${i % 5}`) }])
    await Promise.all(batches.map((ops) => journal.append(ops)))
    await journal.append([{ o: 'm', m: msg('big', 'alice', { body: 'x'.repeat(1_200_000), size: 1_200_000 }) }])
    const path = join(dir, '00000001.jsonl')
    assert.ok(statSync(path).size > journal.size, 'zeros are written past the last batch')
    assert.equal(readFileSync(path).at(journal.size), 0)
    const read = await journal.readAll()
    assert.equal(read.skipped, 0)
    assert.equal(read.batches.flat().length, 51)
    assert.deepEqual(read.batches.flat().slice(0, 50), batches.flat())
    await journal.close()
  })
})

describe('a failed batch that cannot be cut off', () => {
  it('is declared void by the next segment and never replayed', async () => {
    const dir = tempDir('pigeonhole-journal-')
    let failWrites = false
    let failTruncate = false
    const fs = {
      ...nodeFs,
      open: async (...args: Parameters<typeof nodeFs.open>) => {
        const handle = await nodeFs.open(...args)
        return new Proxy(handle, {
          get(target, prop) {
            if (prop === 'write') {
              return async (buf: Buffer, offset: number, length: number, position: number) => {
                if (!failWrites) return target.write(buf, offset, length, position)
                // the whole batch reaches the file, and then the device reports an error
                await target.write(buf, offset, length, position)
                throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })
              }
            }
            if (prop === 'truncate' && failTruncate) return async () => { throw new Error('EIO: i/o error, truncate') }
            const v = Reflect.get(target, prop)
            return typeof v === 'function' ? v.bind(target) : v
          },
        })
      },
    } as typeof nodeFs
    const journal = new Journal(dir, fs)
    await journal.start(0)
    const kept = msg('bob')
    await journal.append([{ o: 'm', m: kept }])
    failWrites = true
    failTruncate = true
    await assert.rejects(journal.append([{ o: 'm', m: msg('bob') }]), /EIO/)
    assert.deepEqual(await journal.segments(), [1, 2], 'the void is on disk before the sender hears of the failure')
    failWrites = false
    failTruncate = false
    const after = msg('bob')
    await journal.append([{ o: 'm', m: after }])
    await journal.close()
    const read = await new Journal(dir, nodeFs).readAll()
    assert.deepEqual(read.segments, [1, 2])
    assert.deepEqual(read.batches.flat().map((op) => (op as { m: { id: string } }).m.id), [kept.id, after.id])
  })
})
