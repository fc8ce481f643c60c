import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { describeUrl } from '../../src/store/postgres/db.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { describeConfig } from '../../src/config-describe.js'
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

  it('a database URL (PIGEONHOLE_DATABASE_URL or its _FILE) and pool; shown with its password masked; a non-URL refused', () => {
    const url = 'postgres://pig:s3cret@db.example:5432/pigeonhole'
    const { config } = loadConfig({ PIGEONHOLE_DATABASE_URL: url, PIGEONHOLE_DATABASE_POOL: '4' })
    assert.deepEqual([config.databaseUrl, config.databasePool], [url, 4])
    const shown = describeConfig(config).find((s) => s.env === 'PIGEONHOLE_DATABASE_URL')?.value
    assert.equal(shown, 'postgres://pig:••••••@db.example:5432/pigeonhole')
    assert.equal(loadConfig({}).config.databaseUrl, undefined, 'none: the embedded store')
    assert.throws(() => loadConfig({ PIGEONHOLE_DATABASE_URL: 'db.example' }), /PIGEONHOLE_DATABASE_URL \(--database-url\) expected a URL like postgres:/)
  })

  it('a database URL the PostgreSQL client could not read is refused at start, not when the first query fails', () => {
    const socket = 'postgres://pig@/pigeonhole?host=/run/postgresql&port=5433'
    assert.equal(loadConfig({ PIGEONHOLE_DATABASE_URL: socket }).config.databaseUrl, socket, 'a Unix socket, port in the query')
    for (const unreadable of ['postgres://pig@:5433/pigeonhole?host=/run/postgresql', 'postgres://pig:zq9x/y@db.example/pigeonhole']) {
      assert.throws(() => loadConfig({ PIGEONHOLE_DATABASE_URL: unreadable }), (err: Error) => {
        assert.match(err.message, /the PostgreSQL client cannot read this URL: percent-encode @ : \/ in the password, and for a Unix socket give the port in the query/)
        assert.doesNotMatch(err.message, /zq9x/, 'nothing of the password is repeated')
        return true
      })
    }
  })

  it('reads the relay peers file, and says which peer and which field is wrong', () => {
    const dir = tempDir()
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    }
    const key = 'RTUbtlq2dg2LxxN8B9B0lhvn7HGDgQUuja9Cf4IMe1w='
    const good = file('good.json', JSON.stringify({ 'B.Example': { url: 'https://b.example:8443/', publicKey: key } }))
    assert.deepEqual(loadConfig({ PIGEONHOLE_PEERS: good, PIGEONHOLE_DOMAIN: 'a.example' }).config.peers, [
      { domain: 'b.example', url: 'https://b.example:8443', publicKey: key },
    ])
    const refused = (env: Record<string, string>, why: RegExp) =>
      assert.throws(() => loadConfig(env), (err: Error) => err instanceof ConfigError && why.test(err.message), why.source)
    refused({ PIGEONHOLE_PEERS: good }, /PIGEONHOLE_PEERS needs PIGEONHOLE_DOMAIN/)
    refused({ PIGEONHOLE_PEERS: good, PIGEONHOLE_DOMAIN: 'b.example' }, /names this server's own domain/)
    refused({ PIGEONHOLE_PEERS: file('bad.json', '{"b.example": {"url": "ftp://x", "publicKey": "k"}}'), PIGEONHOLE_DOMAIN: 'a.example' },
      /PIGEONHOLE_PEERS \(--peers\) peer "b\.example": "url" must be an http\(s\) URL/)
    refused({ PIGEONHOLE_PEERS: file('key.json', `{"b.example": {"url": "https://b.example", "publicKey": "${key.slice(1)}"}}`), PIGEONHOLE_DOMAIN: 'a.example' },
      /"publicKey" must be the peer's Ed25519 public key/)
    refused({ PIGEONHOLE_PEERS: file('json.json', '{"b.example": '), PIGEONHOLE_DOMAIN: 'a.example' }, /names a file that is not JSON/)
    refused({ PIGEONHOLE_PEERS: join(dir, 'missing.json'), PIGEONHOLE_DOMAIN: 'a.example' }, /names a file that cannot be read: ENOENT/)
  })

  it('where a database URL points, as messages name it: host, port and database, or the Unix socket, never the password', () => {
    assert.equal(describeUrl('postgres://pig:s3cret@db.example:5433/pigeonhole'), 'db.example:5433/pigeonhole')
    assert.equal(describeUrl('postgres://db/pigeonhole'), 'db:5432/pigeonhole')
    assert.equal(describeUrl('postgres://pig:s3cret@/pigeonhole?host=/run/postgresql'), 'unix:/run/postgresql/pigeonhole')
    assert.equal(describeUrl('postgresql:///pigeonhole?host=/run/postgresql&port=5433'), 'unix:/run/postgresql/pigeonhole')
  })

  it('a database password apart from the URL (PIGEONHOLE_DATABASE_PASSWORD_FILE, a credentials file) goes into the URL, encoded and masked', () => {
    const file = join(tempDir(), 'db-password')
    writeFileSync(file, 'p@ss word/1\n')
    const { config } = loadConfig({ PIGEONHOLE_DATABASE_URL: 'postgres://pig@db.example/pigeonhole', PIGEONHOLE_DATABASE_PASSWORD_FILE: file })
    assert.equal(config.databaseUrl, 'postgres://pig:p%40ss%20word%2F1@db.example/pigeonhole')
    assert.equal(new URL(config.databaseUrl!).password, 'p%40ss%20word%2F1')
    const shown = describeConfig(config).filter((s) => s.env.startsWith('PIGEONHOLE_DATABASE_')).map((s) => s.value).join(' ')
    assert.doesNotMatch(shown, /ss/)
    assert.equal(loadConfig({ PIGEONHOLE_DATABASE_URL: 'postgres://pig:old@db/x', PIGEONHOLE_DATABASE_PASSWORD: 'new' }).config.databaseUrl, 'postgres://pig:new@db/x')
    assert.throws(() => loadConfig({ PIGEONHOLE_DATABASE_URL: 'postgres://db/x', PIGEONHOLE_DATABASE_PASSWORD: 'new' }), /PIGEONHOLE_DATABASE_PASSWORD needs PIGEONHOLE_DATABASE_URL with a user name/)
  })

  it('a statement timeout for the database: 5 s unless set, 0 for none', () => {
    assert.equal(loadConfig({}).config.databaseTimeoutMs, 5000)
    assert.equal(loadConfig({}, ['--database-timeout-ms', '0']).config.databaseTimeoutMs, 0)
    assert.throws(() => loadConfig({ PIGEONHOLE_DATABASE_TIMEOUT_MS: '5s' }), /PIGEONHOLE_DATABASE_TIMEOUT_MS \(--database-timeout-ms\) expected a whole number/)
  })
})
