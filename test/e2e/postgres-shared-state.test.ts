import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AdminHttp } from '../support/admin.js'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { TestServer } from '../support/server.js'

const cluster = useTestCluster()
const adminPassword = 'admin-password-shared'

describe('two nodes on one database agree on failed logins and on who is logged in to the dashboard', { skip: postgresSkipReason() }, () => {
  let node1: TestServer
  let node2: TestServer
  before(async () => {
    const databaseUrl = await (await cluster()).createDatabase()
    node1 = await TestServer.start({ databaseUrl, databasePool: 4, adminPassword })
    node2 = await TestServer.start({ databaseUrl, databasePool: 4, adminPassword })
  })
  after(async () => {
    await node1?.destroy()
    await node2?.destroy()
  })

  it("five wrong guesses at bob's password on node 1 lock him on node 2 too; the admin's unlock on node 2 lets him in on node 1", async () => {
    await node1.users('bob')
    for (let i = 0; i < 5; i++) {
      const guess = await node1.client('guesser').post('/login', { userId: 'bob', password: `guess-${i}-wrong` })
      assert.equal(guess.body.result.code, 409, 'each a plain refusal, counted')
    }
    const onNode2 = await node2.client('bob').login()
    assert.equal(onNode2.status, 429, 'the lockout counted on node 1 holds on node 2')
    assert.ok(Number(onNode2.headers.get('retry-after')) > 0)

    const admin = new AdminHttp(node2.url)
    assert.equal((await admin.login(adminPassword)).status, 303)
    assert.match((await admin.page('/admin/users/bob')).html, /Unlock/)
    assert.equal((await admin.action('/admin/users/bob/unlock')).status, 303)
    assert.equal((await node1.client('bob').login()).status, 200, 'unlocked on node 2, in on node 1')
  })

  it('an admin logged in through node 1 is logged in on node 2, and a notice set on one node shows on the other', async () => {
    await node1.users('carol')
    const viaNode1 = new AdminHttp(node1.url)
    assert.equal((await viaNode1.login(adminPassword)).status, 303)
    const viaNode2 = Object.assign(new AdminHttp(node2.url), { cookie: viaNode1.cookie })
    const page = await viaNode2.page('/admin')
    assert.equal(page.status, 200, 'no redirect to the login page')
    assert.equal((await viaNode2.action('/admin/users/carol/unlock')).status, 303, 'its CSRF token is the same session’s')
    const shown = await viaNode1.page('/admin/users/carol')
    assert.match(shown.html, /Unlocked carol: every address may try to log in again\./)
    assert.doesNotMatch((await viaNode2.page('/admin/users/carol')).html, /Unlocked carol/, 'a notice is shown once')

    assert.equal((await viaNode2.action('/admin/logout')).status, 303)
    const afterLogout = await viaNode1.page('/admin')
    assert.equal(afterLogout.status, 303, 'logged out on node 2, logged out on node 1')
    assert.match(afterLogout.res.headers.get('location') ?? '', /^\/admin\/login/)
  })
})
