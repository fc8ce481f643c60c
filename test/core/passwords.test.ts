import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DECOY_HASH, hashPassword, needsRehash, verifyPassword } from '../../src/core/passwords.js'

/** made with the parameters used before 2 MiB ones (N=16384, r=8, p=1) */
const OLD_HASH = 'scrypt$16384$8$1$cGlnZW9uaG9sZS1zYWx0IQ$Xifgx7lqAmHUQ2H5-vYW169XAUWvfTNV6x2VvDhPjt8'

describe('password hashes', () => {
  it('new hashes are scrypt N=2048 r=8 p=8 and verify', async () => {
    const h = await hashPassword('s3cret pass')
    assert.match(h, /^scrypt\$2048\$8\$8\$[\w-]{22}\$[\w-]{43}$/)
    assert.equal(await verifyPassword('s3cret pass', h), true)
    assert.equal(await verifyPassword('s3cret pasS', h), false)
    assert.equal(needsRehash(h), false)
  })

  it('a hash with the old parameters still verifies, and asks to be made again', async () => {
    assert.equal(await verifyPassword('old password', OLD_HASH), true)
    assert.equal(await verifyPassword('old passwore', OLD_HASH), false)
    assert.equal(needsRehash(OLD_HASH), true)
    assert.equal(needsRehash('bcrypt$whatever'), true)
  })

  it('the decoy has the parameters of new hashes, and matches nothing', async () => {
    const h = await hashPassword('x')
    assert.equal(DECOY_HASH.split('$').slice(0, 4).join('$'), h.split('$').slice(0, 4).join('$'))
    assert.equal(DECOY_HASH.split('$')[4].length, h.split('$')[4].length)
    assert.equal(DECOY_HASH.split('$')[5].length, h.split('$')[5].length)
    assert.equal(needsRehash(DECOY_HASH), false)
    assert.equal(await verifyPassword('', DECOY_HASH), false)
  })
})
