import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultConfig } from '../../src/config.js'
import { authenticate } from '../../src/core/accounts.js'
import { checkedAuthenticate } from '../../src/core/login.js'
import { FakeClock } from '../../src/core/clock.js'
import { createCore } from '../../src/core/create-core.js'
import { needsRehash, verifyPassword } from '../../src/core/passwords.js'
import { MemoryStore } from '../../src/store/memory/memory-store.js'
import { user } from '../support/records.js'

/** made with the parameters used before 2 MiB ones (N=16384, r=8, p=1), password "old password" */
const OLD_HASH = 'scrypt$16384$8$1$cGlnZW9uaG9sZS1zYWx0IQ$Xifgx7lqAmHUQ2H5-vYW169XAUWvfTNV6x2VvDhPjt8'

describe('an account whose password was hashed by an earlier version', () => {
  it('logs in as before, and its hash is made again with today\'s parameters', async () => {
    const core = createCore({ config: defaultConfig(), store: new MemoryStore(), clock: new FakeClock() })
    await core.store.createUser({ ...user('bob'), passwordHash: OLD_HASH })
    await authenticate(core, 'bob', 'old password')
    const upgraded = (await core.store.getUser('bob'))!.passwordHash
    assert.equal(needsRehash(upgraded), false)
    assert.equal(await verifyPassword('old password', upgraded), true)
    await assert.rejects(authenticate(core, 'bob', 'wrong password'), { code: 409 })
  })
})

describe('the dashboard\'s recent activity', () => {
  it('tells of a lock-out and of refused sends, with who and why', async () => {
    const core = createCore({ config: defaultConfig(), store: new MemoryStore(), clock: new FakeClock() })
    await core.store.createUser({ ...user('bob'), passwordHash: OLD_HASH })
    for (let i = 0; i < 5; i++) await checkedAuthenticate(core, 'bob', `guess-${i}-wrong`, '203.0.113.9').catch(() => {})
    core.bus.publish({ type: 'MessageSent', id: 'm1', sender: 'alice', outcomes: [['bob', 410], ['carol', 202]] })
    const [sent, lockout] = core.activity.recent(2)
    assert.equal(sent.text, 'sent a message to 2 recipients, 1 accepted; refused bob: 410 Unable to deliver IM, offline space is full')
    assert.deepEqual([lockout.kind, lockout.user], ['lockout', 'bob'])
    assert.match(lockout.text, /locked out after failed logins \(last from 203\.0\.113\.9\)/)
  })
})
