import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { purgeMailbox, setQuotas } from '../../src/core/admin.js'
import { AdminHttp } from '../support/admin.js'
import type { Client } from '../support/client.js'
import { TestServer } from '../support/server.js'

const PASSWORD = 'pages-password'
const rows = (html: string, cls: string) => (html.match(new RegExp(`<tr class="${cls}"`, 'g')) ?? []).length

describe('dashboard pages over plain HTTP: empty states, pagination, errors, fragments', () => {
  let srv: TestServer
  let admin: AdminHttp
  let alice: Client
  before(async () => {
    srv = await TestServer.start({ adminPassword: PASSWORD })
    ;[alice] = await srv.users('alice', 'bob')
    await alice.login()
    admin = new AdminHttp(srv.url)
    await admin.login(PASSWORD)
  })
  after(() => srv.destroy())

  it('empty states say so', async () => {
    assert.match((await admin.page('/admin')).html, /No messages are waiting for anyone\./)
    assert.match((await admin.page('/admin/users/bob')).html, /Nothing waits for bob\./)
    assert.match((await admin.page('/admin/reports')).html, /No delivery reports are waiting\./)
    assert.match((await admin.page('/admin/users?q=zzz')).html, /No user id contains “zzz”\./)
  })

  it('a long queue is paginated, 50 a page', async () => {
    for (let i = 0; i < 60; i++) await alice.send('bob', `note ${i}`)
    const first = await admin.page('/admin/users/bob')
    assert.equal(rows(first.html, 'msg'), 50)
    assert.match(first.html, /page 1 of 2 · 60 messages/)
    const second = await admin.page('/admin/users/bob?page=2')
    assert.equal(rows(second.html, 'msg'), 10)
    assert.match(second.html, /note 59/)
    const beyond = await admin.page('/admin/users/bob?page=99')
    assert.match(beyond.html, /page 2 of 2/, 'a page past the end shows the last one')
    const live = await admin.page('/admin/users/bob/live?page=2')
    assert.doesNotMatch(live.html, /<html/, 'the fragment is just the live part')
    assert.match(live.html, /^<div id="user-live"/)
    assert.equal(rows(live.html, 'msg'), 10)
  })

  it('a long user list is paginated and sorted', async () => {
    const template = (await (await srv.server.core.store.getUser('bob')))!
    for (let i = 0; i < 55; i++) await srv.server.core.store.putUser({ ...template, id: `user${String(i).padStart(2, '0')}` })
    const page1 = await admin.page('/admin/users')
    assert.equal((page1.html.match(/<tr data-user=|<tr class="near-full" data-user=/g) ?? []).length, 50)
    assert.match(page1.html, /page 1 of 2 · 57 users/)
    const byInbox = await admin.page('/admin/users?sort=inbox&dir=desc')
    assert.match(byInbox.html, /<tbody><tr[^>]*data-user="bob"/)
    const table = await admin.page('/admin/users-table?q=user5&sort=id')
    assert.equal(table.res.headers.get('hx-replace-url'), '/admin/users?q=user5&sort=id&dir=asc')
    assert.equal((table.html.match(/data-user=/g) ?? []).length, 5)
  })

  it('a user called "table" has a page of their own (the list\'s fragment lives elsewhere)', async () => {
    await srv.users('table')
    const page = await admin.page('/admin/users/table')
    assert.equal(page.status, 200)
    assert.match(page.html, /Nothing waits for table\./)
  })

  it('a full store is marked, and the reports page filters by outcome', async () => {
    await setQuotas(srv.server.core, 'bob', { inboxMaxMessages: 60 })
    assert.match((await admin.page('/admin/users')).html, /<tr class="near-full" data-user="bob"/)
    await alice.send('alice', 'to myself', { deliveryReport: true })
    await alice.send('bob', 'x', { deliveryReport: true }) // refused 410 at send time: no report
    await setQuotas(srv.server.core, 'bob', {})
    await alice.send('bob', 'y', { deliveryReport: true })
    await purgeMailbox(srv.server.core, 'bob')
    const all = await admin.page('/admin/reports')
    assert.equal(rows(all.html, 'report'), 1)
    assert.match((await admin.page('/admin/reports?outcome=538')).html, /data-code="538"/)
    assert.match((await admin.page('/admin/reports?outcome=200')).html, /No reports with outcome 200\./)
    assert.match((await admin.page('/admin/reports?outcome=bogus')).html, /data-code="538"/, 'an unknown filter shows all')
  })

  it('errors: unknown user and page are 404 pages; a refused action is a notice, not a crash', async () => {
    const unknown = await admin.page('/admin/users/nobody')
    assert.equal(unknown.status, 404)
    assert.match(unknown.html, /There is no user &quot;nobody&quot;\.|There is no user "nobody"\./)
    assert.equal((await admin.page('/admin/nothing-here')).status, 404)
    const gone = await admin.action('/admin/users/bob/messages/not-a-message/purge')
    assert.equal(gone.status, 303)
    assert.match((await admin.page('/admin/users/bob')).html, /class="flash error"[^>]*>Invalid message id: no message &quot;not-a-message&quot;|class="flash error"[^>]*>Invalid message id: no message "not-a-message"/)
    await admin.action('/admin/users/bob/lists/block', { add: 'not a valid id!' })
    assert.match((await admin.page('/admin/users/bob')).html, /class="flash error"[^>]*>the user id to add/)
    await admin.action('/admin/users', { userId: 'alice', password: 'whatever-password' })
    assert.match((await admin.page('/admin/users')).html, /class="flash error"[^>]*>the user id &quot;alice&quot; is taken|the user id "alice" is taken/)
    await admin.action('/admin/users/bob/purge', {})
    assert.match((await admin.page('/admin/users/bob')).html, /Tick “sure” to purge every message\./)
    assert.equal((await admin.page('/admin/users/bob')).html.includes('class="flash'), false, 'a notice is shown once')
  })

  it('the overview fragment refreshes on its own (hx-trigger every 2s) and counts online users', async () => {
    const live = await admin.page('/admin/overview/live')
    assert.match(live.html, /^<div id="overview-live" hx-get="\/admin\/overview\/live" hx-trigger="every 2s"/)
    assert.match(live.html, /Online now<\/span><span class="stat-value">1</)
  })
})

describe('the admin deletes an account and unlocks another', () => {
  let srv: TestServer
  let admin: AdminHttp
  before(async () => {
    srv = await TestServer.start({ adminPassword: PASSWORD })
    admin = new AdminHttp(srv.url)
    await admin.login(PASSWORD)
  })
  after(() => srv.destroy())

  it('bob is deleted: what waited for him is purged with 538 to alice, who asked; what he sent to carol stays', async () => {
    const [alice, bob] = await srv.users('alice', 'bob', 'carol')
    await alice.login()
    await alice.send('bob', 'for bob', { deliveryReport: true })
    await bob.login()
    await bob.send('carol', 'from bob')
    await bob.post('/logout')
    assert.equal((await admin.action('/admin/users/bob/delete', {})).status, 303)
    assert.match((await admin.page('/admin/users/bob')).html, /Tick “sure” to delete the account\./)
    await admin.action('/admin/users/bob/delete', { confirm: 'yes' })
    assert.match((await admin.page('/admin/users')).html, /Deleted bob; 1 waiting message purged\./)
    assert.equal((await admin.page('/admin/users/bob')).status, 404)
    const reports = (await alice.get('/reports')).body.reports
    assert.deepEqual(reports.map((r: { result: { code: number } }) => r.result.code), [538])
    assert.equal((await srv.server.core.store.listMessages('carol')).length, 1, 'what bob sent still waits')
    assert.equal((await alice.send('bob', 'hello?')).body.result.code, 531)
  })

  it('dave is locked out by guesses; the admin sees it and unlocks him', async () => {
    await srv.users('dave')
    for (let i = 0; i < 5; i++) await srv.client('x').post('/login', { userId: 'dave', password: `wrong-${i}-guess` })
    assert.equal((await srv.client('dave').login()).status, 429)
    assert.match((await admin.page('/admin/users/dave')).html, /Locked out after failed logins/)
    await admin.action('/admin/users/dave/unlock', {})
    assert.doesNotMatch((await admin.page('/admin/users/dave')).html, /Locked out after failed logins/)
    assert.equal((await srv.client('dave').login()).body.result.code, 200)
  })
})

describe('a user\'s page shows their presence and contact lists', () => {
  it('bob, busy on a phone-like client, with alice in his default list and a work list', async () => {
    const srv = await TestServer.start({ adminPassword: PASSWORD })
    try {
      const [bob] = await srv.users('bob', 'alice', 'carol')
      await bob.login()
      await bob.addContact('alice', 'Alice B.')
      await bob.post('/contacts/lists', { name: 'work', displayName: 'Work', contacts: [{ userId: 'carol' }] })
      await bob.post('/presence', { availability: 'DISCREET', statusText: 'on the train', clientType: 'MOBILE_PHONE' })
      const admin = new AdminHttp(srv.url)
      await admin.login(PASSWORD)
      const html = (await admin.page('/admin/users/bob')).html
      const card = html.slice(html.indexOf('id="contacts"'))
      assert.match(card, /online<\/span> busy<span class="status-text"> · “on the train”<\/span>/)
      assert.match(card, /Default <small>default<\/small>.*alice<\/a><span class="hint"> \(Alice B\.\)/s)
      assert.match(card, /Work <small>work<\/small>.*carol<\/a>/s)
    } finally {
      await srv.destroy()
    }
  })
})
