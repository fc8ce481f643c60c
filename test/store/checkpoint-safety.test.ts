import assert from 'node:assert/strict'
import * as fsp from 'node:fs/promises'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { StoredMessage } from '../../src/core/types.js'
import type { Fs } from '../../src/store/embedded/fs.js'
import { LowdbStore } from '../../src/store/embedded/lowdb-store.js'
import { FailingFs } from '../support/failing-fs.js'
import { tempDir } from '../support/temp.js'
import { msg, copies, delivered } from '../support/records.js'

/** journal writes that are slow, and that fail while `fail` is set */
function slowFailingJournal(): { fs: Fs; setFail(v: boolean): void } {
  let fail = false
  const fs = {
    ...fsp,
    open: async (...args: Parameters<typeof fsp.open>) => {
      const handle = await fsp.open(...args)
      if (!String(args[0]).includes('/journal/')) return handle
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'write') {
            return async (buf: Buffer, offset: number, length: number, position: number) => {
              await new Promise((r) => setTimeout(r, 20))
              if (fail && position > 0) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })
              return target.write(buf, offset, length, position)
            }
          }
          const v = Reflect.get(target, prop)
          return typeof v === 'function' ? v.bind(target) : v
        },
      })
    },
  } as Fs
  return { fs, setFail: (v) => (fail = v) }
}

describe('what is not yet durable is invisible', () => {
  it('a message still being written cannot be listed, read or confirmed; if its write fails it never was', async () => {
    const dir = tempDir()
    const disk = slowFailingJournal()
    const store = await LowdbStore.open(dir, { fs: disk.fs })
    const m = msg('bob')
    const adding = store.addMessages(copies([m]))
    await new Promise((r) => setImmediate(r)) // applied in memory, its journal write under way
    assert.equal((await store.usage(['bob']))[0].inbox.messages, 1, 'counted at once, so that quotas hold')
    assert.deepEqual(await store.listMessages('bob'), [])
    assert.equal(await store.getMessage('bob', m.id), undefined)
    disk.setFail(true)
    assert.equal(await store.removeMessage('bob', m.id, delivered), undefined, 'nothing to confirm yet')
    await assert.rejects(adding, /EIO/)
    disk.setFail(false)
    assert.deepEqual((await store.usage(['bob']))[0].inbox, { messages: 0, bytes: 0 })
    await store.close()
    const again = await LowdbStore.open(dir)
    assert.deepEqual(await again.listMessages('bob'), [])
    await again.close()
  })
})

describe('checkpoints see only what is durable', () => {
  /** a store holding m1 whose journal fails while a checkpoint runs and `refused` is attempted */
  async function refusedDuringCheckpoint(refused: (store: LowdbStore, m1: StoredMessage) => Promise<unknown>) {
    const dir = tempDir()
    const disk = slowFailingJournal()
    const store = await LowdbStore.open(dir, { fs: disk.fs, maxCachedItems: 0 })
    const m1 = msg('bob')
    await store.addMessages(copies([m1]))
    disk.setFail(true)
    const checkpoint = store.checkpoint().catch(() => {})
    await assert.rejects(refused(store, m1), /EIO/)
    await checkpoint
    disk.setFail(false)
    return { dir, store, m1 }
  }

  it('a send refused while a checkpoint runs is never written to a box file', async () => {
    const { dir, store, m1 } = await refusedDuringCheckpoint((s) => s.addMessages(copies([msg('bob')])))
    assert.deepEqual((await store.listMessages('bob')).map((m) => m.id), [m1.id])
    assert.deepEqual((await store.usage(['bob']))[0].inbox, { messages: 1, bytes: m1.size })
    await store.close()
    const again = await LowdbStore.open(dir)
    assert.deepEqual((await again.listMessages('bob')).map((m) => m.id), [m1.id])
    await again.close()
  })

  it('a confirmation refused while a checkpoint runs leaves the message in place', async () => {
    const { dir, store, m1 } = await refusedDuringCheckpoint((s, m) => s.removeMessage('bob', m.id, delivered))
    await store.close()
    const again = await LowdbStore.open(dir)
    assert.deepEqual((await again.listMessages('bob')).map((m) => m.id), [m1.id])
    await again.close()
  })

  it('a box write the disk takes only part of fails the checkpoint; the journal keeps everything', async () => {
    const dir = tempDir()
    const disk = new FailingFs()
    const store = await LowdbStore.open(dir, { fs: disk.fs })
    const stored = Array.from({ length: 20 }, () => msg('bob', 'alice', { body: 'y'.repeat(5000), size: 5000 }))
    for (const m of stored) await store.addMessages(copies([m]))
    disk.full = true
    await assert.rejects(store.checkpoint(), /ENOSPC/)
    disk.full = false
    await store.close()
    for (const name of readdirSync(join(dir, 'boxes')).filter((n) => !n.startsWith('.'))) {
      JSON.parse(readFileSync(join(dir, 'boxes', name), 'utf8'))
    }
    const again = await LowdbStore.open(dir)
    assert.equal((await again.listMessages('bob')).length, 20)
    await again.close()
  })
})
