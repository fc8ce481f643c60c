import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultConfig } from '../../src/config.js'
import { editList, isBlocked } from '../../src/core/blocklist.js'
import { accepts, defaultCapabilities, negotiate } from '../../src/core/capabilities.js'
import type { Code } from '../../src/core/codes.js'
import { dropReason } from '../../src/core/delivery.js'
import { aggregate } from '../../src/core/messaging.js'
import { copyLimits, limitsFor } from '../../src/core/quotas.js'
import { clampTtl } from '../../src/core/sessions.js'
import { msg, user } from '../support/records.js'

const outcome = (...pairs: Array<[string, Code]>) => aggregate(new Map(pairs))

describe('the send result (PROTOCOL.md 3)', () => {
  it('is 200 when every recipient got 200, with no details', () => {
    assert.deepEqual(outcome(['bob', 200], ['carol', 200]), { code: 200, text: 'Successful' })
  })

  it('is 201 "partial success" for one offline recipient, naming them in a 202 detail', () => {
    assert.deepEqual(outcome(['bob', 202]), {
      code: 201, text: 'Partially successful', details: [{ code: 202, text: 'IM accepted for offline user', users: ['bob'] }],
    })
  })

  it('is 201 for a mix, with one detail per outcome that was not 200', () => {
    const r = outcome(['bob', 200], ['zoe', 531], ['carol', 410], ['dan', 531])
    assert.equal(r.code, 201)
    assert.deepEqual(r.details?.map((d) => [d.code, d.users]), [[531, ['zoe', 'dan']], [410, ['carol']]])
  })

  it('is the shared failure when nobody got through, else 900 "Multiple errors"', () => {
    assert.equal(outcome(['zoe', 531], ['yan', 531]).code, 531)
    assert.equal(outcome(['zoe', 531], ['bob', 532]).code, 900)
  })
})

describe('capability negotiation', () => {
  const config = { ...defaultConfig(), maxBodyBytes: 1000 }

  it('agrees what the client asks within what the server is configured for', () => {
    const agreed = negotiate(config, defaultCapabilities(config), { deliveryMethod: 'notify', acceptedContentLength: 5000, acceptedContentTypes: ['TEXT/Plain', 'text/plain'] })
    assert.deepEqual(agreed, { offlineMessaging: true, deliveryMethod: 'notify', acceptedContentTypes: ['text/plain'], acceptedContentLength: 1000 })
  })

  it('never agrees offline messaging on a server that has it off', () => {
    const off = { ...config, offline: false }
    assert.equal(negotiate(off, defaultCapabilities(off), { offlineMessaging: true }).offlineMessaging, false)
  })

  it('judges a message against what a session accepts: type, wildcard, length', () => {
    const caps = { ...defaultCapabilities(config), acceptedContentTypes: ['text/*'], acceptedContentLength: 10 }
    assert.equal(accepts(caps, 'text/html; charset=utf-8', 5), 'yes')
    assert.equal(accepts(caps, 'image/png', 5), 'type')
    assert.equal(accepts(caps, 'text/plain', 11), 'length')
  })
})

describe('quotas and time-to-live', () => {
  it('a user\'s own override wins over the configured default, key by key', () => {
    const config = defaultConfig()
    const bob = { ...user('bob'), quotas: { inboxMaxMessages: 3 } }
    assert.deepEqual(limitsFor(config, bob), { inboxMaxMessages: 3, inboxMaxBytes: config.inboxMaxBytes, outboxMaxMessages: config.outboxMaxMessages })
    const alice = { ...user('alice'), quotas: { outboxMaxMessages: 7 } }
    assert.deepEqual(copyLimits(config, alice, bob), { outboxMaxMessages: 7, inboxMaxMessages: 3, inboxMaxBytes: config.inboxMaxBytes })
  })

  it('a time-to-live out of bounds is clamped to the nearest bound and reported as not accepted', () => {
    const config = defaultConfig()
    assert.deepEqual(clampTtl(config, undefined), { ttl: config.sessionTtlSeconds, accepted: true })
    assert.deepEqual(clampTtl(config, 5), { ttl: config.sessionTtlMinSeconds, accepted: false })
    assert.deepEqual(clampTtl(config, 10 ** 9), { ttl: config.sessionTtlMaxSeconds, accepted: false })
    assert.deepEqual(clampTtl(config, 600), { ttl: 600, accepted: true })
  })
})

describe('block and grant lists, and what a stored copy may still be shown', () => {
  it('blocks a sender on the block list in use, or missing from the grant list in use', () => {
    const bob = user('bob')
    assert.equal(isBlocked({ ...bob, block: { inUse: true, users: ['spam'] } }, 'spam'), true)
    assert.equal(isBlocked({ ...bob, block: { inUse: false, users: ['spam'] } }, 'spam'), false)
    assert.equal(isBlocked({ ...bob, grant: { inUse: true, users: ['alice'] } }, 'carol'), true)
    assert.equal(isBlocked({ ...bob, grant: { inUse: true, users: ['alice'] } }, 'alice'), false)
  })

  it('edits a list by adding and removing, sorted, keeping what was not named', () => {
    assert.deepEqual(editList({ inUse: false, users: ['b', 'd'] }, { inUse: true, add: ['c', 'a'], remove: ['d'] }), { inUse: true, users: ['a', 'b', 'c'] })
  })

  it('an expired copy is dropped as 542, one from a sender since blocked as 532', () => {
    const bob = { ...user('bob'), block: { inUse: true, users: ['spam'] } }
    assert.equal(dropReason(bob, msg('bob', 'alice', { validUntil: 100 }), 100), 542)
    assert.equal(dropReason(bob, msg('bob', 'spam', { validUntil: 200 }), 100), 532)
    assert.equal(dropReason(bob, msg('bob', 'alice', { validUntil: 200 }), 100), undefined)
  })
})
