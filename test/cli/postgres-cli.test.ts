import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import pg from 'pg'
import { SCHEMA_VERSION } from '../../src/store/postgres/schema.js'
import { runCli as cli } from '../support/cli.js'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { tempDir } from '../support/temp.js'

const cluster = useTestCluster()

describe('the command line with PIGEONHOLE_DATABASE_URL: accounts and stats in the database, one-line refusals', { skip: postgresSkipReason() }, () => {
  it('user add and stats work on the database (the URL read from a _FILE), backup points to pg_dump', async () => {
    const url = await (await cluster()).createDatabase()
    const file = join(tempDir(), 'database-url')
    writeFileSync(file, url + '\n')
    const env = { PIGEONHOLE_DATABASE_URL_FILE: file }
    const added = await cli(['user', 'add', 'alice', '--password', 'alice-password'], { env })
    assert.equal(added.code, 0, added.err)
    const stats = await cli(['stats', '--json'], { env })
    assert.equal(JSON.parse(stats.out).users, 1, stats.err)
    const table = await cli(['stats'], { env })
    assert.match(table.out, /^database\s+127\.0\.0\.1:\d+\/t\d+$/m)
    const backup = await cli(['backup', tempDir()], { env })
    assert.equal(backup.code, 2)
    assert.match(backup.err, /^pigeonhole: backup copies the embedded data directory, but PIGEONHOLE_DATABASE_URL is set; back up the database with pg_dump[^\n]*\n$/)
  })

  it('a server whose database cannot be reached refuses to start in one sentence, exit code 2, the password unsaid', async () => {
    const r = await cli(['--port', '0'], { env: { PIGEONHOLE_DATABASE_URL: 'postgres://pigeonhole:s3cret@127.0.0.1:1/pigeonhole' } })
    assert.equal(r.code, 2)
    assert.match(r.err, /^pigeonhole: cannot reach the database at 127\.0\.0\.1:1\/pigeonhole: [^\n]*; check PIGEONHOLE_DATABASE_URL and that PostgreSQL is running\n$/)
    assert.doesNotMatch(r.err + r.out, /s3cret/)
  })

  it('a server on a database a newer Pigeonhole wrote refuses to start in one sentence, exit code 2, and leaves it alone', async () => {
    const url = await (await cluster()).createDatabase()
    const env = { PIGEONHOLE_DATABASE_URL: url }
    assert.equal((await cli(['user', 'add', 'alice', '--password', 'alice-password'], { env })).code, 0)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query('UPDATE pigeonhole_schema SET version = $1', [SCHEMA_VERSION + 1])
      const r = await cli(['--port', '0'], { env })
      assert.equal(r.code, 2)
      assert.equal(r.err, `pigeonhole: the database schema is version ${SCHEMA_VERSION + 1}, newer than this Pigeonhole knows (${SCHEMA_VERSION}); run the newer Pigeonhole, or restore a backup taken before the upgrade\n`)
      assert.equal((await client.query('SELECT version FROM pigeonhole_schema')).rows[0].version, SCHEMA_VERSION + 1)
    } finally {
      await client.end()
    }
  })
})
