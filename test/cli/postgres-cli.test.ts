import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
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
})
