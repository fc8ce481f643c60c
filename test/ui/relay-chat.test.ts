import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { relaysSettled, usePair } from '../support/relay.js'
import type { TestServer } from '../support/server.js'
import { launch } from './browser.js'
import { ChatPage } from './chat-page.js'

describe('the chat page across two servers, in headless Chromium: alice on a.example writes to bob@b.example', () => {
  const pair = usePair()
  let a: TestServer
  let b: TestServer
  let browser: Browser
  before(async () => {
    ;({ a, b } = pair)
    await a.users('alice')
    await b.users('bob')
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it("alice adds bob@b.example as a contact and writes; her bubble says 'accepted for offline delivery', then 'delivered' once bob confirms on his server", async () => {
    const alice = await ChatPage.open(await ChatPage.context(browser), a.url)
    await alice.logIn('alice')
    await alice.addContact('bob@b.example', 'Bob at B')
    await alice.openChat('Bob at B')
    const bubble = await alice.write('Hello across the link')
    await alice.waitForState(bubble, 'accepted for offline delivery')
    await relaysSettled(a, b)

    const bob = b.client('bob')
    await bob.loginWith('pull')
    const [m] = (await bob.get('/messages')).body.messages
    assert.equal(m.sender, 'alice@a.example')
    await bob.post(`/messages/${m.id}/delivered`)
    await alice.waitForState(bubble, 'delivered')

    // and bob's answer shows in the same conversation, from bob@b.example
    await bob.send('alice@a.example', 'Hello back')
    await alice.bubble('Hello back').waitFor()
    assert.deepEqual(alice.problems, [])
  })
})
