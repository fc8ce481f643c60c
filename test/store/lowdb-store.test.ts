import assert from 'node:assert/strict'
import { appendFileSync, chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import * as fsp from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { LowdbStore } from '../../src/store/embedded/lowdb-store.js'
import { tempDir } from '../support/temp.js'
import { msg, user, copies } from '../support/records.js'


describe('LowdbStore on disk', () => {
  it('writes the same bytes for one send whether 1 or 1,000 other mailboxes exist', async () => {
    const costOfOneSend = async (others: number) => {
      const store = await LowdbStore.open(tempDir())
      for (let i = 0; i < others; i += 100) {
        await store.addMessages(copies(Array.from({ length: Math.min(100, others - i) }, (_, j) => msg(`other${i + j}`, 'zed', { id: `o${i + j}` }))))
      }
      await store.checkpoint()
      const before = store.bytesWritten()
      await store.addMessages(copies([msg('bob', 'alice', { id: 'the-one', sentAt: 1, body: 'x'.repeat(150), size: 150 })]))
      await store.checkpoint()
      const after = store.bytesWritten()
      await store.close()
      return { journal: after.journal - before.journal, boxes: after.boxes - before.boxes }
    }
    const few = await costOfOneSend(1)
    const many = await costOfOneSend(1000)
    assert.deepEqual(many, few)
    assert.ok(few.journal > 150 && few.journal < 600, `one journal line, got ${few.journal} bytes`)
    assert.ok(few.boxes < 600, `only bob's box is rewritten, got ${few.boxes} bytes`)
  })

  it('covers many concurrent sends with a few fsync batches (group commit)', async () => {
    const store = await LowdbStore.open(tempDir())
    const before = store.bytesWritten().batches
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.addMessages(copies([msg(`u${i % 50}`)]))))
    const batches = store.bytesWritten().batches - before
    assert.ok(batches < 50, `500 concurrent sends took ${batches} fsync batches`)
    assert.equal((await store.stats()).messages, 500)
    await store.close()
  })

  it('replays the journal at open and ignores a torn last line', async () => {
    const dir = tempDir()
    const store = await LowdbStore.open(dir)
    const a = msg('bob')
    await store.addMessages(copies([a]))
    await store.close()
    // what a crash leaves: a journal segment with one good batch and a half-written one
    const journal = join(dir, 'journal')
    const seg = join(journal, '00000099.jsonl')
    const b = msg('bob')
    writeFileSync(seg, JSON.stringify({ journal: 1 }) + '\n' + JSON.stringify([{ o: 'm', m: b }]) + '\n')
    appendFileSync(seg, JSON.stringify([{ o: 'm', m: msg('bob') }]).slice(0, 40))
    const again = await LowdbStore.open(dir)
    assert.deepEqual((await again.listMessages('bob')).map((m) => m.id), [a.id, b.id])
    assert.equal((await again.usage(['bob']))[0].inbox.messages, 2)
    await again.close()
    assert.deepEqual(readdirSync(journal).filter((n) => n !== '00000099.jsonl').length, 1, 'replayed segments are removed after the checkpoint')
  })

  it('ignores a leftover temp file from a torn box write', async () => {
    const dir = tempDir()
    const store = await LowdbStore.open(dir)
    await store.addMessages(copies([msg('bob')]))
    await store.close()
    writeFileSync(join(dir, 'boxes', '.bob.json.tmp'), '{"schema":1,"user":"bob","mess')
    const again = await LowdbStore.open(dir)
    assert.equal((await again.usage(['bob']))[0].inbox.messages, 1)
    await again.close()
  })

  it('refuses a data file written by a newer version', async () => {
    const dir = tempDir()
    const store = await LowdbStore.open(dir)
    await store.putUser(user('bob'))
    await store.close()
    const accounts = JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8'))
    writeFileSync(join(dir, 'accounts.json'), JSON.stringify({ ...accounts, schema: 99 }))
    await assert.rejects(LowdbStore.open(dir), /schema 99, newer than this Pigeonhole understands/)
  })

  it('lets one store at a time open a data directory', async () => {
    const dir = tempDir()
    const store = await LowdbStore.open(dir)
    await assert.rejects(LowdbStore.open(dir), /in use by another Pigeonhole/)
    await store.close()
    const again = await LowdbStore.open(dir)
    await again.close()
  })

  it('holds only some boxes in memory and loads the others on demand', async () => {
    const dir = tempDir()
    const store = await LowdbStore.open(dir, { maxCachedItems: 100 })
    for (let i = 0; i < 20; i++) await store.addMessages(copies(Array.from({ length: 20 }, () => msg(`user${i}`))))
    await store.close()
    const again = await LowdbStore.open(dir, { maxCachedItems: 100 })
    assert.ok(again.cachedBoxes() <= 5, `${again.cachedBoxes()} boxes held after boot`)
    assert.equal((await again.stats()).messages, 400)
    assert.equal((await again.listMessages('user19')).length, 20)
    await again.close()
  })

  it('gives a user without a box file an empty box without asking the disk, and reads one written since', async () => {
    const dir = tempDir()
    const touched: string[] = []
    const counting = { ...fsp, readFile: ((path: string, ...rest: never[]) => (touched.push(String(path)), fsp.readFile(path, ...rest))) as typeof fsp.readFile }
    counting.stat = ((path: string, ...rest: never[]) => (touched.push(String(path)), fsp.stat(path, ...rest))) as typeof fsp.stat
    const store = await LowdbStore.open(dir, { fs: counting, maxCachedItems: 10 })
    touched.length = 0
    await store.addMessages(copies([msg('newbie')]))
    assert.deepEqual(touched.filter((p) => p.includes('boxes')), [], 'no read for a box that has no file')
    await store.checkpoint()
    for (let i = 0; i < 5; i++) await store.addMessages(copies(Array.from({ length: 5 }, () => msg(`other${i}`))))
    await store.checkpoint() // the cache holds 10 items, so newbie's clean box is dropped
    assert.equal(store.cachedBoxes() < 6, true)
    assert.equal((await store.listMessages('newbie')).length, 1, 'read back from its file')
    assert.ok(touched.some((p) => p.endsWith(join('boxes', 'newbie.json'))))
    await store.close()
  })
})

describe('file modes', () => {
  it('the data directory is 0700 and every file in it 0600: password hashes and message bodies are inside', async () => {
    const dir = tempDir('pigeonhole-modes-')
    chmodSync(dir, 0o755)
    const store = await LowdbStore.open(dir)
    await store.createUser(user('bob'))
    await store.addMessages(copies([msg('bob')]))
    await store.close() // a checkpoint writes bob's box file
    const mode = (p: string) => statSync(join(dir, p)).mode & 0o777
    assert.equal(mode('.'), 0o700)
    for (const sub of ['boxes', 'journal']) assert.equal(mode(sub), 0o700)
    const files = ['accounts.json', 'boxes/bob.json', ...readdirSync(join(dir, 'journal')).map((f) => `journal/${f}`)]
    for (const f of files) assert.equal(mode(f), 0o600, f)
  })
})
