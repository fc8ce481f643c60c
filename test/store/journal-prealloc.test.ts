import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { nodeFs } from '../../src/store/fs.js'
import { Journal } from '../../src/store/journal.js'
import { msg } from '../support/records.js'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('journal segments written ahead with zeros', () => {
  it('reads back every batch, and the zero tail is neither a batch nor a torn line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-journal-'))
    dirs.push(dir)
    const journal = new Journal(dir, nodeFs)
    await journal.start(0)
    const batches = Array.from({ length: 50 }, (_, i) => [{ o: 'm' as const, m: msg(`u${i % 5}`) }])
    await Promise.all(batches.map((ops) => journal.append(ops)))
    await journal.append([{ o: 'm', m: msg('big', 'alice', { body: 'x'.repeat(1_200_000), size: 1_200_000 }) }])
    const path = join(dir, '00000001.jsonl')
    assert.ok(statSync(path).size > journal.size, 'zeros are written past the last batch')
    assert.equal(readFileSync(path).at(journal.size), 0)
    const read = await journal.read(1)
    assert.equal(read.skipped, 0)
    assert.equal(read.batches.flat().length, 51)
    assert.deepEqual(read.batches.flat().slice(0, 50), batches.flat())
    await journal.close()
  })
})
