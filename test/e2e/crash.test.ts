import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { checkDataDir } from '../../scripts/crash-check.js'
import { runCrashTrials } from '../../scripts/crash-test.js'
import { LowdbStore } from '../../src/store/embedded/lowdb-store.js'
import { ensureBundle } from '../support/process.js'
import { msg, user, copies } from '../support/records.js'

describe('crash at any moment (a short run of scripts/crash-test.ts)', () => {
  it('loses nothing acknowledged across 4 kill -9 trials', async () => {
    ensureBundle()
    const r = await runCrashTrials({ trials: 4, seconds: 60, seed: 7 })
    assert.equal(r.trials, 4)
    assert.ok(r.acked > 0, 'the bursts got answers before the kill')
    assert.deepEqual(r.problems, [])
  })

  it('the check itself notices a missing message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-check-'))
    try {
      const store = await LowdbStore.open(dir)
      await store.putUser(user('bob'))
      await store.addMessages(copies([msg('bob', 'alice', { id: 'kept' })]))
      await store.close()
      const { problems } = await checkDataDir(dir, [
        { id: 'kept', recipient: 'bob', sender: 'alice' },
        { id: 'lost', recipient: 'bob', sender: 'alice' },
      ])
      assert.deepEqual(problems, ['acknowledged message lost for bob is there 0 times'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
