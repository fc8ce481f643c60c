import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { LowdbStore } from '../../src/store/embedded/lowdb-store.js'
import { runCli as cli } from '../support/cli.js'
import { TestServer } from '../support/server.js'
import { tempDir } from '../support/temp.js'


describe('backup while the server runs, and restore', () => {
  it('a backup taken during a burst of sends restores every message acknowledged before it began, each once', async () => {
    // checkpoints every 16 KiB of journal, so that they run (and delete segments) while the copy is taken
    const srv = await TestServer.start({ checkpointBytes: 16 * 1024 })
    const backupDir = join(tempDir(), 'backup')
    const restoredDir = join(tempDir(), 'restored')
    try {
      const [alice] = await srv.users('alice', 'bob')
      await alice.login()
      const acked: string[] = []
      let sending = true
      const burst = (async () => {
        for (let i = 0; sending || i < 300; i++) {
          const r = await alice.send('bob', `message ${i} `.padEnd(120, '.'))
          if (r.body.result.code === 201) acked.push(r.body.messageId)
        }
      })()
      while (acked.length < 200) await new Promise((resolve) => setImmediate(resolve))
      const ackedBefore = [...acked]
      const taken = await cli(['backup', backupDir, '--data-dir', srv.dataDir])
      sending = false
      await burst
      assert.equal(taken.code, 0, taken.err)
      assert.match(taken.out, /^backed up .* to .*backup \(\d+ files\)\n$/)
      await srv.stop()

      const refused = await cli(['restore', backupDir, '--data-dir', srv.dataDir])
      assert.equal(refused.code, 2, 'a data directory that holds a store is not overwritten')
      assert.match(refused.err, /is not empty/)
      const restored = await cli(['restore', backupDir, '--data-dir', restoredDir])
      assert.equal(restored.code, 0, restored.err)
      assert.match(restored.out, /2 users, \d+ messages and 0 reports waiting/)

      const store = await LowdbStore.open(restoredDir)
      const ids = (await store.listMessages('bob')).map((m) => m.id)
      await store.close()
      assert.equal(new Set(ids).size, ids.length, 'nothing twice')
      const missing = ackedBefore.filter((id) => !ids.includes(id))
      assert.deepEqual(missing, [], 'every message acknowledged before the backup began is in it')
    } finally {
      await srv.destroy()
    }
  })
})
