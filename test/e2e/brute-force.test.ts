import assert from 'node:assert/strict'
import { request } from 'node:http'
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

  it('a stranger guessing cannot lock the owner out: the right password from an address with no failures gets in', async () => {
    srv = await TestServer.start()
    await srv.users('alice')
    // the guesser, on 127.0.0.1, fails five times: it is shut out of alice's account
    for (let i = 0; i < 5; i++) await srv.client('x').post('/login', { userId: 'alice', password: `guess-${i}-wrong` })
    assert.equal((await srv.client('x').post('/login', { userId: 'alice', password: 'alice-password' })).status, 429)
    // alice, at home on another address, logs in as usual
    assert.equal((await loginFrom('127.0.0.2', 'alice', 'alice-password')).code, 200)
    // a guess from a third address is heard once, then that address is shut out too
    assert.equal((await loginFrom('127.0.0.3', 'alice', 'guess-6-wrong')).code, 409)
    const again = await loginFrom('127.0.0.3', 'alice', 'guess-7-wrong')
    assert.deepEqual([again.status, again.code], [429, 429])
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

/** a login sent from another loopback address, as a second machine on the network would */
function loginFrom(localAddress: string, userId: string, password: string): Promise<{ status: number; code: number }> {
  const body = JSON.stringify({ userId, password })
  return new Promise((resolve, reject) => {
    const req = request(`${srv.url}/api/v1/login`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => resolve({ status: res.statusCode!, code: JSON.parse(text).result.code }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
