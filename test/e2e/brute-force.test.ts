import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { TestServer } from '../support/server.js'

let srv: TestServer
afterEach(() => srv?.destroy())

describe('password guessing', () => {
  it('locks an account after 5 failures with 429 and Retry-After, then lets the owner in once the window passes', async () => {
    srv = await TestServer.start()
    const [alice, bob] = await srv.users('alice', 'bob')
    for (let i = 0; i < 5; i++) {
      const a = await srv.client('x').post('/login', { userId: 'alice', password: `guess-${i}-wrong` })
      assert.equal(a.body.result.code, 409)
    }
    const locked = await srv.client('x').post('/login', { userId: 'alice', password: 'guess-5-wrong' })
    assert.deepEqual([locked.status, locked.body.result.code], [429, 429])
    assert.match(locked.body.result.text, /too many failed logins; try again in 300 seconds/)
    assert.equal(locked.headers.get('retry-after'), '300')
    assert.equal((await alice.login()).status, 429, 'even the right password waits: guesses learn nothing')

    assert.equal((await bob.login()).body.result.code, 200, 'other accounts are not slowed')
    srv.clock.advance(300)
    assert.equal((await alice.login()).body.result.code, 200)
  })

  it('limits one address to 20 failures across any names', async () => {
    srv = await TestServer.start()
    const [carol] = await srv.users('carol')
    for (let i = 0; i < 20; i++) await srv.client('x').post('/login', { userId: `name${i}`, password: 'not-the-password' })
    const a = await carol.login()
    assert.deepEqual([a.status, a.body.result.code], [429, 429])
    assert.ok(Number(a.headers.get('retry-after')) > 0)
  })
})
