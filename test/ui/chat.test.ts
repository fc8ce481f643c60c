import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext } from 'playwright-core'
import { eventually } from '../support/eventually.js'
import { TestServer } from '../support/server.js'
import { launch, Shots } from './browser.js'
import { ChatPage } from './chat-page.js'

describe('the chat page in headless Chromium: alice and bob, each in a browser of their own', () => {
  let srv: TestServer
  let browser: Browser
  let aliceBrowser: BrowserContext, bobBrowser: BrowserContext
  let alice: ChatPage, bob: ChatPage
  const pages: ChatPage[] = []
  const shots = new Shots()

  before(async () => {
    srv = await TestServer.start()
    await srv.users('alice', 'bob')
    browser = await launch()
    aliceBrowser = await ChatPage.context(browser)
    bobBrowser = await ChatPage.context(browser)
  })
  after(async () => {
    await browser?.close()
    await srv?.destroy()
    console.log(`# screenshots: ${shots.dir}`)
  })
  const opened = async (context: BrowserContext) => {
    const p = await ChatPage.open(context, srv.url)
    pages.push(p)
    return p
  }

  it("alice writes to bob, who is offline: 'accepted for offline delivery'; bob logs in, sees it marked as sent while he was away, and her bubble turns 'delivered'", async () => {
    alice = await opened(aliceBrowser)
    await alice.logIn('alice')
    await alice.addContact('bob', 'Bob')
    assert.equal(await alice.presenceOf('Bob'), 'offline')
    await alice.openChat('Bob')
    const bubble = await alice.write('Are you coming tonight?\nI can bring the cake.')
    await alice.waitForState(bubble, 'accepted for offline delivery')

    srv.clock.advance(3600)
    bob = await opened(bobBrowser)
    await bob.logIn('bob')
    await bob.contact('alice').locator('.count', { hasText: '1' }).waitFor()
    assert.equal(await bob.page.title(), '(1) Pigeonhole', 'the tab title counts what is unread')
    assert.equal(await bob.page.locator('#unread-badge').textContent(), '1 unread')
    assert.equal((await srv.server.core.store.listMessages('bob')).length, 1, 'not confirmed before it is shown')
    await alice.waitForState(bubble, 'accepted for offline delivery')

    await bob.openChat('alice')
    const received = bob.bubble('Are you coming tonight?')
    assert.equal(await received.locator('.body').innerText(), 'Are you coming tonight?\nI can bring the cake.', 'two lines, as text')
    assert.match(await received.locator('.meta').textContent() ?? '', /^sent while you were away · sent 1 Jan, 00:00$/, 'with the time it was sent')
    await alice.waitForState(bubble, 'delivered')
    await eventually('the message leaves the server', async () => (await srv.server.core.store.listMessages('bob')).length === 0)
    assert.equal(await bob.page.title(), 'Pigeonhole')

    await bob.page.reload()
    await bob.ready()
    await bob.openChat('alice')
    assert.equal(await bob.bubble('Are you coming tonight?').count(), 1, 'a reload keeps the session and this session\'s conversation')
  })

  it("bob blocks alice: her next message shows 'blocked'; he undoes it and she gets through", async () => {
    await bob.page.getByRole('button', { name: 'Block', exact: true }).click()
    await bob.page.getByText('You block this user').waitFor()
    await bob.page.getByRole('button', { name: 'Unblock alice' }).waitFor()
    await alice.waitForState(await alice.write('Hello? Are you there?'), 'blocked')
    await bob.page.getByRole('button', { name: 'Unblock alice' }).click()
    await bob.page.getByRole('button', { name: 'Block', exact: true }).waitFor()
    const again = await alice.write('Sorry, wrong button?')
    await alice.waitForState(again, 'delivered')
    assert.equal(await bob.bubble('Hello? Are you there?').count(), 0, 'what was refused never reaches him')
  })

  it('presence: bob logs in and alice sees him online within a second; he closes the tab, and after his time-to-live she sees him offline', async () => {
    // presence is shown to the people bob keeps in his own contact list
    await bob.page.getByRole('button', { name: 'Add to contacts' }).click()
    await alice.waitForPresence('Bob', /^online$/)
    await bob.page.getByRole('button', { name: 'Log out' }).click()
    await bob.page.locator('html[data-state=login]').waitFor()
    await alice.waitForPresence('Bob', /^offline$/)

    bob = await opened(bobBrowser)
    await bob.logIn('bob')
    await alice.waitForPresence('Bob', /^online$/, 1000)
    await bob.page.getByLabel('Your availability').selectOption('DISCREET')
    await bob.page.getByLabel('Your status text').fill('in a meeting')
    await bob.page.getByRole('button', { name: 'Set' }).click()
    await alice.waitForPresence('Bob', /^busy — in a meeting$/)

    await bob.page.close()
    await eventually("the server sees bob's stream closed", () => srv.server.core.sessions.ofUser('bob').every((s) => s.holds === 0))
    await srv.server.sweep()
    assert.equal(await alice.presenceOf('Bob'), 'busy — in a meeting', 'still within his time-to-live')
    srv.clock.advance(srv.config.sessionTtlSeconds + 1)
    await srv.server.sweep()
    await alice.waitForPresence('Bob', /^offline$/)
  })

  it('at a phone width (390 px) nothing scrolls sideways: the list, a conversation with long words, and back', async () => {
    const phone = await opened(await ChatPage.context(browser, 'phone'))
    await phone.logIn('alice')
    assert.equal(await phone.scrollsSideways(), false)
    await phone.openChat('Bob')
    assert.equal(await phone.contact('Bob').isVisible(), false, 'the conversation takes the whole screen')
    await phone.waitForState(await phone.write('https://example.org/' + 'a-very-long-path-without-spaces/'.repeat(8)), 'accepted for offline delivery')
    await phone.write('Short one\nand a second line')
    assert.equal(await phone.scrollsSideways(), false)
    await shots.take(phone.page, 'chat-phone', { docs: 'chat-phone.png' })
    await phone.page.getByRole('button', { name: 'Back to contacts' }).click()
    await phone.contact('Bob').waitFor()
    assert.equal(await phone.scrollsSideways(), false)
  })

  it('carol changes her password from the page: a wrong current one is refused with a sentence, then the new one works', async () => {
    await srv.users('carol')
    const p = await ChatPage.open(await ChatPage.context(browser), srv.url)
    await p.logIn('carol')
    await p.page.getByText('Change your password').click()
    await p.page.getByLabel('Current password').fill('not-my-password')
    await p.page.getByLabel('New password (8 characters or more)').fill('a-brand-new-secret')
    await p.page.getByRole('button', { name: 'Change password' }).click()
    await p.page.locator('#password-error', { hasText: 'Invalid password' }).waitFor()
    await p.page.getByLabel('Current password').fill('carol-password')
    await p.page.getByRole('button', { name: 'Change password' }).click()
    await p.page.locator('#toast', { hasText: 'Your password is changed.' }).waitFor()
    assert.equal((await srv.client('carol').login({ password: 'a-brand-new-secret' })).body.result.code, 200)
    assert.equal((await srv.client('carol').login()).body.result.code, 409, 'the old one no longer works')
    // the wrong password was answered 409 (HTTP 401), which the browser logs; nothing else may be
    assert.deepEqual(p.unexpected().filter((x) => !/status of 401/.test(x)), [])
  })

  it('a body of <img src=x onerror=alert(1)> and one with U+202E show as text', async () => {
    bob = await opened(bobBrowser)
    await bob.logIn('bob')
    await bob.openChat('alice')
    await alice.write('<img src=x onerror=alert(1)>')
    await alice.write('invoice\u202Etxt.exe')
    const html = bob.bubble('<img src=x onerror=alert(1)>')
    await html.waitFor()
    assert.equal(await html.locator('.body').textContent(), '<img src=x onerror=alert(1)>')
    assert.equal(await bob.page.getByRole('log').locator('img').count(), 0)
    const bidi = bob.bubble('invoice')
    await bidi.waitFor()
    assert.equal(await bidi.locator('.body').textContent(), 'invoice[U+202E]txt.exe', 'the override is shown, not obeyed')
    await alice.waitForState(alice.bubble('invoice'), 'delivered')
    await alice.page.evaluate(() => (document.getElementById('toast')!.textContent = ''))
    await shots.take(alice.page, 'chat-desktop', { docs: 'chat-desktop.png' })
    await bob.page.getByLabel('Your status text').fill('back at 5\u202E')
    await bob.page.getByRole('button', { name: 'Set' }).click()
    await alice.waitForPresence('Bob', /back at 5\[U\+202E\]$/)
    const raw = (p: ChatPage) => p.page.evaluate(() =>
      document.body.textContent!.includes('\u202E') || [...document.querySelectorAll('*')].some((e) => [...e.attributes].some((a) => a.value.includes('\u202E'))))
    assert.equal(await raw(bob), false, 'nowhere on his page, labels included')
    assert.equal(await raw(alice), false, 'nor on hers')
    for (const p of pages) assert.deepEqual(p.unexpected(), [], 'no dialog, no script error, no CSP violation')
  })
})
