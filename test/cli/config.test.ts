import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { tempDir } from '../support/temp.js'

describe('configuration from the environment, flags and secret files', () => {
  it('reads the admin password from the file PIGEONHOLE_ADMIN_PASSWORD_FILE names, without its last newline', () => {
    const file = join(tempDir(), 'admin-password')
    writeFileSync(file, 'from-a-secret-file\n', { mode: 0o600 })
    assert.equal(loadConfig({ PIGEONHOLE_ADMIN_PASSWORD_FILE: file }).config.adminPassword, 'from-a-secret-file')
    assert.equal(loadConfig({}, ['--admin-password-file', file]).config.adminPassword, 'from-a-secret-file')
  })

  it('a secret file that cannot be read stops the start with a sentence naming the variable', () => {
    assert.throws(
      () => loadConfig({ PIGEONHOLE_ADMIN_PASSWORD_FILE: '/nonexistent/secret' }),
      (err: Error) => err instanceof ConfigError && /PIGEONHOLE_ADMIN_PASSWORD_FILE names a file that cannot be read: ENOENT/.test(err.message),
    )
  })

  it('flags win over variables; bad values are all reported at once', () => {
    assert.equal(loadConfig({ PIGEONHOLE_PORT: '8080' }, ['--port', '9090']).config.port, 9090)
    assert.throws(
      () => loadConfig({ PIGEONHOLE_PORT: 'eighty', PIGEONHOLE_PRESENCE: 'everyone' }),
      (err: Error) => /PIGEONHOLE_PORT \(--port\) expected a whole number/.test(err.message) && /PIGEONHOLE_PRESENCE \(--presence\) expected one of contacts, all/.test(err.message),
    )
  })
})
