import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { setQuotas } from '../../src/core/admin.js'
import type { Client } from '../support/client.js'
import { TestServer } from '../support/server.js'
import { launch, logIn, Shots, waitForCount, watch } from './browser.js'

const PASSWORD = 'dashboard-password'

describe('the dashboard in headless Chromium', () => {
  let srv: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let problems: string[]
  let alice: Client, mallory: Client
  const shots = new Shots()

  before(async () => {
    srv = await TestServer.start({ adminPassword: PASSWORD })
    ;[alice, , mallory] = await srv.users('alice', 'bob', 'mallory')
    await srv.users('carol', 'dave')
    await alice.login()
    await mallory.login()
    browser = await launch()
    context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
    page = await context.newPage()
    problems = watch(page)
  })
  after(async () => {
    await browser?.close()
    await srv?.destroy()
    console.log(`# screenshots: ${shots.dir}`)
  })

  const queueRows = () => page.locator('#user-live tr.msg')
  const bobPage = () => page.goto(`${srv.url}/admin/users/bob`)

  it('logs in (a wrong password first) and shows the overview', async () => {
    await page.goto(srv.url + '/admin')
    assert.equal(new URL(page.url()).pathname, '/admin/login')
    await shots.take(page, '01-login')
    await page.fill('input[name=password]', 'wrong password')
    await page.click('button[type=submit]')
    assert.equal(await page.locator('.flash.error').textContent(), 'Wrong password.')
    await page.fill('input[name=password]', PASSWORD)
    await Promise.all([page.waitForURL(srv.url + '/admin'), page.click('button[type=submit]')])
    assert.equal(await page.locator('h1').textContent(), 'Overview')
    assert.match(await page.locator('.stat', { hasText: 'Users' }).textContent() ?? '', /Users\s*5/)
  })

  it("shows bob's queue fill as alice sends over the API", async () => {
    await bobPage()
    assert.equal(await page.locator('#user-live .empty').textContent(), 'Nothing waits for bob.')
    for (let i = 1; i <= 3; i++) {
      const sent = await alice.send('bob', `message number ${i}`)
      assert.equal(sent.body.result.details[0].code, 202)
      srv.clock.advance(60)
      await waitForCount(queueRows(), i)
    }
    const first = queueRows().first()
    assert.equal(await first.locator('td').nth(0).textContent(), 'alice')
    assert.equal(await first.locator('td').nth(1).textContent(), '3 min ago', 'ages come from the server clock')
    assert.match(await first.locator('td').nth(3).textContent() ?? '', /offline/)
    assert.match(await first.locator('td').nth(4).textContent() ?? '', /^in 6 d 23 h$/)
    assert.equal(await first.locator('td.body').textContent(), 'message number 1')
    assert.match(await page.locator('#user-live').textContent() ?? '', /3 \/ 1000 messages/)
  })

  it('purges one message; alice, who asked for a report, gets 538 "Message has been rejected"', async () => {
    const sent = await alice.send('bob', 'please report on me', { deliveryReport: true })
    await waitForCount(queueRows(), 4)
    await page.locator(`tr.msg[data-id="${sent.body.messageId}"] button`).click()
    await page.locator('.flash.ok').waitFor()
    assert.match(await page.locator('.flash.ok').textContent() ?? '', /Purged one message/)
    assert.equal(await queueRows().count(), 3)
    assert.equal(await page.locator(`tr.msg[data-id="${sent.body.messageId}"]`).count(), 0)
    const reports = await alice.get('/reports')
    assert.equal(reports.body.reports.length, 1)
    assert.deepEqual(reports.body.reports[0].result, { code: 538, text: 'Message has been rejected' })
    assert.equal(reports.body.reports[0].messageId, sent.body.messageId)
    await page.goto(`${srv.url}/admin/reports`)
    assert.equal(await page.locator('tr.report').count(), 1)
    assert.match(await page.locator('tr.report').textContent() ?? '', /alice.*bob.*538 rejected/s)
    await shots.take(page, '05-reports')
  })

  it("adds mallory to bob's block list; mallory's next send is answered 532", async () => {
    assert.equal((await mallory.send('bob', 'hi bob')).body.result.details[0].code, 202)
    await bobPage()
    await page.fill('#block-list input[name=add]', 'Mallory')
    await page.click('#block-list form.row button')
    await page.locator('.flash.ok').waitFor()
    assert.match(await page.locator('.flash.ok').textContent() ?? '', /Added mallory to the block list of bob; it is in use/)
    assert.equal(await page.locator('#block-list .chips li span').textContent(), 'mallory')
    const refused = await mallory.send('bob', 'hi again')
    assert.equal(refused.status, 403)
    assert.deepEqual(refused.body.result, { code: 532, text: 'Recipient user blocked the sender', details: [{ code: 532, text: 'Recipient user blocked the sender', users: ['bob'] }] })
    // the grant list stays off; removing the entry lets mallory through again
    await page.click('#block-list .chips button')
    await page.locator('.flash.ok').waitFor()
    assert.equal(await page.locator('#block-list .chips').count(), 0)
    assert.equal((await mallory.send('bob', 'sorry')).body.result.details[0].code, 202)
  })

  it("lowers bob's quota; the send past the new boundary is answered 410", async () => {
    await bobPage()
    const waiting = await queueRows().count()
    await page.fill('#quotas input[name=inboxMaxMessages]', String(waiting + 1))
    await page.click('#quotas button')
    await page.locator('.flash.ok').waitFor()
    assert.equal(await page.inputValue('#quotas input[name=inboxMaxMessages]'), String(waiting + 1))
    assert.equal((await alice.send('bob', 'the last one that fits')).body.result.details[0].code, 202)
    const full = await alice.send('bob', 'one too many')
    assert.equal(full.status, 507)
    assert.equal(full.body.result.code, 410)
    await waitForCount(queueRows(), waiting + 1)
    assert.match(await page.locator('#user-live').textContent() ?? '', new RegExp(`${waiting + 1} / ${waiting + 1} messages`))
    // an impossible value is an error notice, and nothing changes
    await page.fill('#quotas input[name=inboxMaxMessages]', '-3')
    await page.fill('#quotas input[name=outboxMaxMessages]', '')
    await page.evaluate(() => (document.querySelector('#quotas form') as HTMLFormElement).noValidate = true)
    await page.click('#quotas button')
    await page.locator('.flash.error').waitFor()
    assert.match(await page.locator('.flash.error').textContent() ?? '', /inboxMaxMessages must be a whole number/)
    assert.deepEqual((await (await srv.server.core.store.getUser('bob')))!.quotas, { inboxMaxMessages: waiting + 1 })
  })

  it('shows a message body <script>alert(1)</script> as text, never runs it', async () => {
    await page.fill('#quotas input[name=inboxMaxMessages]', '')
    await page.click('#quotas button')
    await page.locator('.flash.ok').waitFor()
    const sent = await alice.send('bob', '<script>alert(1)</script><img src=x onerror=alert(2)>')
    assert.equal(sent.body.result.details[0].code, 202)
    await bobPage()
    const cell = page.locator(`tr.msg[data-id="${sent.body.messageId}"] td.body`)
    assert.equal(await cell.textContent(), '<script>alert(1)</script><img src=x onerror=alert(2)>')
    assert.equal(await cell.locator('script, img').count(), 0)
    await shots.take(page, '04-user', { docs: 'user.png' })
  })

  it('refuses a POST without the CSRF token, and a form posted from another site', async () => {
    const status = await page.evaluate(async () => {
      const res = await fetch('/admin/users/bob/purge', { method: 'POST', body: new URLSearchParams({ confirm: 'yes' }) })
      return res.status
    })
    assert.equal(status, 403)
    const waiting = await queueRows().count()
    const evil = await context.newPage()
    const action = `${srv.url}/admin/users/bob/purge`
    await evil.goto(`data:text/html,<form method=post action="${action}"><input name=confirm value=yes><button>win a prize</button></form>`)
    await Promise.all([evil.waitForURL(action), evil.click('button')])
    assert.match(await evil.locator('body').textContent() ?? '', /Request refused/)
    await evil.close()
    await bobPage()
    assert.equal(await queueRows().count(), waiting, 'nothing was purged')
  })

  it('users: search through htmx, sort, usage bars', async () => {
    await page.goto(`${srv.url}/admin/users`)
    assert.equal(await page.locator('#users-table tbody tr').count(), 5)
    await page.fill('input[name=q]', 'ali')
    await waitForCount(page.locator('#users-table tbody tr'), 1)
    assert.equal(await page.locator('#users-table tbody tr td a').first().textContent(), 'alice')
    assert.equal(new URL(page.url()).search, '?q=ali&sort=id&dir=asc', 'the address follows the search')
    await page.fill('input[name=q]', 'nobody')
    await page.locator('#users-table .empty').waitFor()
    await page.goto(`${srv.url}/admin/users?sort=inbox&dir=desc`)
    assert.equal(await page.locator('#users-table tbody tr').first().getAttribute('data-user'), 'bob')
    assert.equal(await page.locator('#users-table tbody tr[data-user=bob] meter').count(), 2)
    await shots.take(page, '03-users')
  })

  it('disables and enables a user, resets a password, creates a user', async () => {
    await page.goto(`${srv.url}/admin/users/mallory`)
    const stream = await mallory.openStream()
    await page.click('#account form:first-of-type button')
    await page.locator('.flash.ok').waitFor()
    assert.equal((await stream.next()).data.result.code, 601, 'disabling ended the session: its stream hears "Forced logout"')
    assert.equal((await mallory.send('bob', 'still here?')).body.result.code, 604)
    assert.equal((await mallory.login()).body.result.code, 403)
    await page.click('#account form:first-of-type button')
    await page.locator('.flash.ok').waitFor()
    await page.click('#account form:nth-of-type(2) button')
    const flash = await page.locator('.flash.ok').textContent()
    const pw = /New password for mallory: (\S+) \(shown only now\)/.exec(flash ?? '')?.[1]
    assert.ok(pw, flash ?? '')
    mallory = srv.client('mallory')
    ;(mallory as { password: string }).password = pw
    assert.equal((await mallory.login()).body.result.code, 200)

    await page.goto(`${srv.url}/admin/users`)
    await page.click('details.create summary')
    await page.fill('details.create input[name=userId]', 'Zoe')
    await page.fill('details.create input[name=password]', 'zoe-password')
    await Promise.all([page.waitForURL(`${srv.url}/admin/users/zoe`), page.click('details.create button')])
    assert.equal(await page.locator('.flash.ok').textContent(), 'Created zoe.')
  })

  it('purges a whole mailbox after the "sure" box is ticked', async () => {
    await page.goto(`${srv.url}/admin/users/carol`)
    await alice.send('carol', 'one', { deliveryReport: true })
    await alice.send('carol', 'two', { deliveryReport: true })
    await waitForCount(queueRows(), 2)
    await page.check('.danger-zone input[name=confirm]')
    await page.click('.danger-zone button')
    await page.locator('.flash.ok').waitFor()
    assert.match(await page.locator('.flash.ok').textContent() ?? '', /Purged 2 messages/)
    assert.equal(await page.locator('#user-live .empty').textContent(), 'Nothing waits for carol.')
    const codes = (await alice.get('/reports')).body.reports.map((r: { result: { code: number } }) => r.result.code)
    assert.deepEqual(codes, [538, 538, 538])
    await page.goto(`${srv.url}/admin/reports`)
    await page.selectOption('select[name=outcome]', '200')
    await page.locator('#reports-table .empty').waitFor()
    assert.equal(await page.locator('#reports-table .empty').textContent(), 'No reports with outcome 200.')
  })

  it('settings show the effective configuration with the admin password masked', async () => {
    await page.goto(`${srv.url}/admin/settings`)
    const text = (await page.locator('main').textContent()) ?? ''
    assert.match(text, /PIGEONHOLE_INBOX_MAX_MESSAGES--inbox-max-messages1000/)
    assert.match(text, /PIGEONHOLE_ADMIN_PASSWORD--admin-password•••••• \(set\)/)
    assert.ok(!text.includes(PASSWORD))
    await shots.take(page, '06-settings')
  })

  it('the overview counts what waits and lists recent activity; it looks right on a phone too', async () => {
    const [erin] = await srv.users('erin')
    await erin.login()
    for (const to of ['dave', 'dave', 'zoe']) await erin.send(to, `hello ${to}, this is erin`)
    srv.clock.advance(3600 + 17 * 60)
    // dave's store is small and full (a red bar); erin is back online
    await setQuotas(srv.server.core, 'dave', { inboxMaxMessages: 2 })
    await erin.login()
    await page.goto(srv.url + '/admin')
    assert.match(await page.locator('.stat', { hasText: 'Online now' }).textContent() ?? '', /Online now\s*1/)
    const o = (await srv.server.core.store.stats())
    assert.match(await page.locator('.stat', { hasText: 'Messages waiting' }).textContent() ?? '', new RegExp(`Messages waiting\\s*${o.messages}`))
    assert.match(await page.locator('.stat', { hasText: 'Uptime' }).textContent() ?? '', /1 h 2\d min/)
    assert.match(await page.locator('.activity').textContent() ?? '', /erin.*sent a message to 1 recipient, 1 accepted/s)
    assert.equal(await page.locator('.card', { hasText: 'Fullest offline stores' }).locator('tr').first().locator('a').textContent(), 'dave')
    await shots.take(page, '02-overview', { docs: 'overview.png' })
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
    const p = await phone.newPage()
    const phoneProblems = watch(p)
    await logIn(p, srv.url, PASSWORD)
    await shots.take(p, '07-phone-overview')
    await p.goto(`${srv.url}/admin/users/bob`)
    await shots.take(p, '08-phone-user')
    for (const path of ['/admin/users/bob', '/admin/users', '/admin/reports', '/admin/settings', '/admin']) {
      if (path !== '/admin/users/bob') await p.goto(srv.url + path)
      await shots.take(p, `09-phone${path.replaceAll('/', '-')}`)
      // what matters on a page is seen whole, not cut at the screen's edge: settings' values, reports' outcomes
      const cut = await p.evaluate(() =>
        [...document.querySelectorAll('table.settings td[data-label=Value], table.reports .badge')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth).map((e) => e.textContent))
      assert.deepEqual(cut, [], `nothing cut off on ${path}`)
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.equal(overflow, 0, `nothing on ${path} is wider than the phone screen (tables scroll inside their box)`)
    }
    await phone.close()
    assert.deepEqual(phoneProblems, [])
  })

  it('a ticked "sure" survives the 2-second refresh; the controls sit above the queue', async () => {
    await alice.login() // the clock moved on an hour in the test before
    await alice.send('carol', 'three')
    await page.goto(`${srv.url}/admin/users/carol`)
    await page.check('#purge-all input[name=confirm]')
    // wait for the live region to be swapped by its refresh (real time: htmx polls every 2 s)
    await page.evaluate(() => new Promise<void>((resolve) => document.body.addEventListener('htmx:afterSettle', () => resolve(), { once: true })))
    assert.equal(await page.isChecked('#purge-all input[name=confirm]'), true)
    const controlsTop = await page.locator('#quotas').evaluate((e) => e.getBoundingClientRect().top)
    const queueTop = await page.locator('#user-live section.card').evaluate((e) => e.getBoundingClientRect().top)
    assert.ok(controlsTop < queueTop, 'quotas above the queue')
  })

  it('the fullest-stores bar shows the fuller of messages and bytes: a store refused with 410 for bytes reads full', async () => {
    await setQuotas(srv.server.core, 'zoe', { inboxMaxBytes: 60 }) // erin's 24 bytes already wait for zoe
    assert.equal((await alice.send('zoe', 'x'.repeat(30))).body.result.details[0].code, 202)
    assert.equal((await alice.send('zoe', 'y'.repeat(30))).body.result.details[0].code, 410)
    await page.goto(srv.url + '/admin')
    const meter = page.locator('.card', { hasText: 'Fullest offline stores' }).locator('tr', { hasText: 'zoe' }).locator('meter')
    const [value, max] = await meter.evaluate((m: HTMLMeterElement) => [m.value, m.max])
    assert.ok(value / max >= 0.75, `zoe's bar is ${value}/${max}`)
  })

  it('logs out; the dashboard then asks for the password again', async () => {
    await page.click('.logout button')
    await page.waitForURL(`${srv.url}/admin/login`)
    await page.goto(`${srv.url}/admin/users/bob`)
    assert.equal(new URL(page.url()).pathname, '/admin/login')
  })

  it('no page broke its Content-Security-Policy, logged an error, or opened a dialog', () => {
    const unexpected = problems.filter((p) => !/status of 40[134]/.test(p))
    assert.deepEqual(unexpected, [])
  })
})
