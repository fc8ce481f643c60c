import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { ADMIN_CSP } from '../../src/http/admin/index.js'
import { HTMX_JS, HTMX_VERSION } from '../../src/http/assets/htmx.generated.js'
import { AdminHttp } from '../support/admin.js'
import { TestServer } from '../support/server.js'

const PASSWORD = 'correct horse battery'

describe('dashboard login, cookie and CSRF over plain HTTP', () => {
  let srv: TestServer
  before(async () => {
    // as if behind a TLS proxy on this machine, whose X-Forwarded-Proto is believed
    srv = await TestServer.start({ adminPassword: PASSWORD, trustProxy: ['127.0.0.1'] })
    await srv.users('bob')
  })
  after(() => srv.destroy())

  it('a stranger is sent to the login page; pages and fragments need a session', async () => {
    const admin = new AdminHttp(srv.url)
    const res = await admin.page('/admin/users/bob')
    assert.equal(res.status, 303)
    assert.equal(res.res.headers.get('location'), '/admin/login?next=%2Fadmin%2Fusers%2Fbob')
    const frag = await fetch(srv.url + '/admin/overview/live', { headers: { 'hx-request': 'true' } })
    assert.equal(frag.status, 401)
    assert.equal(frag.headers.get('hx-redirect'), '/admin/login?next=%2Fadmin%2Foverview%2Flive')
    const login = await admin.page('/admin/login')
    assert.equal(login.status, 200)
    assert.match(login.html, /^<!doctype html>/)
    assert.equal(login.res.headers.get('content-security-policy'), ADMIN_CSP)
  })

  it('a wrong password is answered 401 with the form again, and no cookie', async () => {
    const admin = new AdminHttp(srv.url)
    const res = await admin.login('not the password')
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('set-cookie'), null)
    assert.match(await res.text(), /Wrong password/)
    assert.equal((await admin.login('')).status, 401)
  })

  it('the right password sets an HttpOnly, SameSite=Strict cookie for /admin and lands on ?next', async () => {
    const admin = new AdminHttp(srv.url)
    const res = await admin.post('/admin/login?next=%2Fadmin%2Fsettings', { password: PASSWORD })
    assert.equal(res.status, 303)
    assert.equal(res.headers.get('location'), '/admin/settings')
    const cookie = res.headers.get('set-cookie')!
    assert.match(cookie, /^pigeonhole_admin=[\w-]{32};/)
    assert.match(cookie, /; HttpOnly/)
    assert.match(cookie, /; SameSite=Strict/)
    assert.match(cookie, /; Path=\/admin/)
    assert.doesNotMatch(cookie, /Secure/, 'plain http: no Secure flag, or the browser would drop it')
    const offsite = await admin.post('/admin/login?next=%2F%2Fevil.example', { password: PASSWORD })
    assert.equal(offsite.headers.get('location'), '/admin', 'next= cannot leave the dashboard')
    const control = await admin.post('/admin/login?next=%2Fadmin%2Fx%01', { password: PASSWORD })
    assert.deepEqual([control.status, control.headers.get('location')], [303, '/admin'], 'a control character is no path')
    const tls = await admin.post('/admin/login', { password: PASSWORD }, { origin: srv.url, 'x-forwarded-proto': 'https' })
    assert.match(tls.headers.get('set-cookie')!, /; Secure/)
  })

  it('a login POST from another origin, or with no Origin at all, is refused', async () => {
    const admin = new AdminHttp(srv.url)
    assert.equal((await admin.post('/admin/login', { password: PASSWORD }, { origin: 'http://evil.example' })).status, 403)
    assert.equal((await admin.post('/admin/login', { password: PASSWORD }, {})).status, 403)
  })

  it('every form needs the session CSRF token and a same-origin request', async () => {
    const admin = new AdminHttp(srv.url)
    await admin.login(PASSWORD)
    const quotas = '/admin/users/bob/quotas'
    const noToken = await admin.post(quotas, { inboxMaxMessages: '1' })
    assert.equal(noToken.status, 403)
    assert.match(await noToken.text(), /no valid CSRF token/)
    const wrongToken = await admin.post(quotas, { _csrf: 'x'.repeat(32), inboxMaxMessages: '1' })
    assert.equal(wrongToken.status, 403)
    const crossSite = await admin.post(quotas, { _csrf: admin.csrf!, inboxMaxMessages: '1' }, { origin: 'http://evil.example' })
    assert.equal(crossSite.status, 403)
    const noOrigin = await admin.post(quotas, { _csrf: admin.csrf!, inboxMaxMessages: '1' }, {})
    assert.equal(noOrigin.status, 403)
    assert.deepEqual((await (await srv.server.core.store.getUser('bob')))!.quotas, {}, 'nothing changed')
    const ok = await admin.action(quotas, { inboxMaxMessages: '1' })
    assert.equal(ok.status, 303)
    assert.deepEqual((await (await srv.server.core.store.getUser('bob')))!.quotas, { inboxMaxMessages: 1 })
    const header = await admin.post(quotas, { inboxMaxMessages: '2' }, { origin: srv.url, 'x-csrf-token': admin.csrf! })
    assert.equal(header.status, 303, 'htmx sends the token as a header')
  })

  it('logout needs the token, ends the session and clears the cookie', async () => {
    const admin = new AdminHttp(srv.url)
    await admin.login(PASSWORD)
    const forged = await admin.post('/admin/logout', {}, {})
    assert.equal(forged.status, 403, 'no Origin: refused before anything')
    await admin.post('/admin/logout', { _csrf: 'nope' })
    assert.equal((await admin.page('/admin')).status, 200, 'a logout without the token does not end the session')
    const out = await admin.action('/admin/logout')
    assert.equal(out.status, 303)
    assert.match(out.headers.get('set-cookie')!, /pigeonhole_admin=;.*Max-Age=0/)
    assert.equal((await admin.page('/admin')).status, 303, 'the old cookie no longer works')
  })

  it('a session ends after 8 idle hours (moved on the fake clock)', async () => {
    const admin = new AdminHttp(srv.url)
    await admin.login(PASSWORD)
    srv.clock.advance(7 * 3600)
    assert.equal((await admin.page('/admin')).status, 200)
    srv.clock.advance(8 * 3600)
    assert.equal((await admin.page('/admin')).status, 303)
  })

  it('serves htmx 2.0.x from inside the app, the same bytes as the installed package', async () => {
    const res = await fetch(srv.url + '/admin/assets/htmx.min.js')
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type')!, /^text\/javascript/)
    assert.equal(await res.text(), HTMX_JS)
    assert.match(HTMX_VERSION, /^2\.0\./)
    const installed = readFileSync('node_modules/htmx.org/dist/htmx.min.js', 'utf8')
    assert.equal(HTMX_JS, installed, 'src/http/assets/htmx.generated.ts is stale: run npm run assets')
    assert.equal((await fetch(srv.url + '/admin/assets/admin.css')).status, 200)
  })
})

describe('the dashboard password when none is configured', () => {
  it('is generated at first start, stored only as a scrypt hash, and not generated again', async () => {
    const srv = await TestServer.start()
    const generated = srv.server.generatedAdminPassword!
    assert.ok(generated && generated.length >= 16)
    const hash = (await srv.server.core.store.getMeta('admin.passwordHash'))!
    assert.match(hash, /^scrypt\$/)
    const accounts = readFileSync(`${srv.dataDir}/accounts.json`, 'utf8')
    assert.ok(!accounts.includes(generated), 'the password itself is never stored')
    assert.equal((await new AdminHttp(srv.url).login(generated)).status, 303)
    const again = await srv.restart()
    assert.equal(again.server.generatedAdminPassword, undefined)
    assert.equal((await new AdminHttp(again.url).login(generated)).status, 303)
    const configured = await again.restart({ adminPassword: 'from-the-environment' })
    assert.equal((await new AdminHttp(configured.url).login(generated)).status, 401, 'PIGEONHOLE_ADMIN_PASSWORD replaces it')
    assert.equal((await new AdminHttp(configured.url).login('from-the-environment')).status, 303)
    await configured.destroy()
  })
})

describe('dashboard password guessing', () => {
  it('locks the dashboard login after 5 failures with 429 and Retry-After; the protocol logins are unaffected', async () => {
    const srv = await TestServer.start({ adminPassword: PASSWORD })
    try {
      const [bob] = await srv.users('bob')
      const admin = new AdminHttp(srv.url)
      for (let i = 0; i < 5; i++) assert.equal((await admin.login(`guess ${i}`)).status, 401)
      const locked = await admin.login(PASSWORD)
      assert.equal(locked.status, 429)
      assert.equal(locked.headers.get('retry-after'), '300')
      assert.match(await locked.text(), /Too many failed logins/)
      assert.equal((await bob.login()).body.result.code, 200)
      srv.clock.advance(300)
      assert.equal((await admin.login(PASSWORD)).status, 303)
    } finally {
      await srv.destroy()
    }
  })
})
