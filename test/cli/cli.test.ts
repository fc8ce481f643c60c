import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCli as cli } from '../support/cli.js'
import { TestServer } from '../support/server.js'
import { Client } from '../support/client.js'

describe('the command line: pigeonhole user … and stats on a stopped server', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pigeonhole-cli-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('user add with --password creates an account that can then log in over the API', async () => {
    const r = await cli(['user', 'add', 'Alice', '--password', 'alice-password', '--data-dir', dir])
    assert.equal(r.code, 0, r.err)
    assert.equal(r.out, 'created user alice\n')
    const srv = await TestServer.start({}, { dataDir: dir })
    try {
      assert.equal((await new Client(srv.url, 'alice').login()).body.result.code, 200)
    } finally {
      await srv.stop()
    }
  })

  it('user add takes PIGEONHOLE_USER_PASSWORD, else generates and prints a password', async () => {
    const fromEnv = await cli(['user', 'add', 'bob', '--data-dir', dir], { env: { PIGEONHOLE_USER_PASSWORD: 'bob-password' } })
    assert.equal(fromEnv.out, 'created user bob\n')
    const generated = await cli(['user', 'add', 'carol'], { env: { PIGEONHOLE_DATA_DIR: dir } })
    assert.equal(generated.code, 0, generated.err)
    const password = /^password: (\S+)$/m.exec(generated.out)?.[1]
    assert.ok(password && password.length >= 16, generated.out)
    const srv = await TestServer.start({}, { dataDir: dir })
    try {
      assert.equal((await new Client(srv.url, 'bob').login()).body.result.code, 200)
      assert.equal((await new Client(srv.url, 'carol', password).login()).body.result.code, 200)
    } finally {
      await srv.stop()
    }
  })

  it('refuses a taken name, a short password and a bad id with exit code 1 and a sentence', async () => {
    const taken = await cli(['user', 'add', 'alice', '--password', 'whatever1', '--data-dir', dir])
    assert.deepEqual([taken.code, taken.err], [1, 'pigeonhole: the user id "alice" is taken\n'])
    const short = await cli(['user', 'add', 'dave', '--password', 'short', '--data-dir', dir])
    assert.equal(short.code, 1)
    assert.match(short.err, /at least 8 characters/)
    const bad = await cli(['user', 'add', 'no spaces', '--password', 'whatever1', '--data-dir', dir])
    assert.equal(bad.code, 1)
    assert.match(bad.err, /not a valid user id/)
  })

  it('user disable, enable, passwd and list', async () => {
    assert.equal((await cli(['user', 'disable', 'bob', '--data-dir', dir])).out, 'disabled user bob\n')
    let list = await cli(['user', 'list', '--data-dir', dir])
    assert.match(list.out, /^USER\s+STATUS/)
    assert.match(list.out, /^bob\s+disabled\s+0\/1000/m)
    assert.match(list.out, /^alice\s+enabled/m)
    assert.equal((await cli(['user', 'enable', 'bob', '--data-dir', dir])).out, 'enabled user bob\n')
    assert.equal((await cli(['user', 'passwd', 'bob', '--password', 'new-bob-password', '--data-dir', dir])).out, 'password of bob changed\n')
    list = await cli(['user', 'list', '--json', '--data-dir', dir])
    const rows = JSON.parse(list.out)
    assert.deepEqual(rows.map((r: { id: string; disabled: boolean }) => [r.id, r.disabled]), [['alice', false], ['bob', false], ['carol', false]])
    const srv = await TestServer.start({}, { dataDir: dir })
    try {
      assert.equal((await new Client(srv.url, 'bob', 'new-bob-password').login()).body.result.code, 200)
    } finally {
      await srv.stop()
    }
    const unknown = await cli(['user', 'disable', 'zoe', '--data-dir', dir])
    assert.equal(unknown.code, 1)
    assert.match(unknown.err, /no user "zoe"/)
  })

  it('stats counts users and what waits', async () => {
    const srv = await TestServer.start({}, { dataDir: dir })
    try {
      const alice = new Client(srv.url, 'alice')
      await alice.login()
      await alice.send(['bob', 'carol'], 'hello')
    } finally {
      await srv.stop()
    }
    const r = await cli(['stats', '--json', '--data-dir', dir])
    assert.equal(r.code, 0, r.err)
    const s = JSON.parse(r.out)
    assert.deepEqual([s.users, s.messages, s.bytes, s.disabled], [3, 2, 10, 0])
    assert.ok(s.diskBytes > 0)
    const text = await cli(['stats', '--data-dir', dir])
    assert.match(text.out, /^messages waiting\s+2$/m)
  })

  it('refuses clearly while a server holds the data directory', async () => {
    const srv = await TestServer.start({}, { dataDir: dir })
    try {
      for (const args of [['user', 'add', 'erin', '--password', 'erin-password'], ['user', 'list'], ['stats']]) {
        const r = await cli([...args, '--data-dir', dir])
        assert.equal(r.code, 2, args.join(' '))
        assert.match(r.err, /is in use by another Pigeonhole \(pid \d+\); stop it first/)
      }
    } finally {
      await srv.stop()
    }
    assert.equal((await cli(['user', 'list', '--data-dir', dir])).code, 0, 'works again once the server stopped')
  })

  it('--help for the program and every command; unknown commands are usage errors', async () => {
    const main = await cli(['--help'])
    assert.equal(main.code, 0)
    for (const c of ['serve', 'user add', 'user list', 'user disable', 'user enable', 'user passwd', 'stats']) assert.ok(main.out.includes(`  ${c} `), c)
    assert.match(main.out, /--data-dir\s+PIGEONHOLE_DATA_DIR/)
    for (const args of [['serve'], ['user', 'add'], ['user', 'list'], ['user', 'disable'], ['user', 'enable'], ['user', 'passwd'], ['stats'], ['admin', 'passwd']]) {
      const r = await cli([...args, '--help'])
      assert.equal(r.code, 0, args.join(' '))
      assert.match(r.out, new RegExp(`^Usage: pigeonhole ${args[0] === 'serve' ? '\\[serve\\]' : args.join(' ')}`), args.join(' '))
    }
    assert.match((await cli(['user', '--help'])).out, /^Usage: pigeonhole user COMMAND/)
    const unknown = await cli(['frobnicate'])
    assert.deepEqual([unknown.code, unknown.err.split('\n')[0]], [2, 'pigeonhole: unknown command "frobnicate"'])
    const extra = await cli(['user', 'add', 'a', 'b', '--data-dir', dir])
    assert.equal(extra.code, 2)
  })
})

describe('the command line helps a person who mistypes', () => {
  it('an unknown flag is named with the nearest known one, exit code 2', async () => {
    const r = await cli(['--prot', '18110'])
    assert.deepEqual([r.code, r.err.split('\n')[0]], [2, 'pigeonhole: unknown option --prot; did you mean --port?'])
    const bogus = await cli(['stats', '--bogus'])
    assert.equal(bogus.code, 2)
    assert.match(bogus.err, /unknown option --bogus/)
  })

  it('an unknown PIGEONHOLE_ variable is named with the nearest setting, and nothing starts', async () => {
    const r = await cli([], { env: { PIGEONHOLE_PROT: '18110' } })
    assert.equal(r.code, 2)
    assert.match(r.err, /PIGEONHOLE_PROT is not a setting; did you mean PIGEONHOLE_PORT\?/)
  })

  it('--version, -V and -h answer; user add without a name says what is missing', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
    assert.equal((await cli(['--version'])).out, `pigeonhole ${version}\n`)
    assert.equal((await cli(['-V'])).out, `pigeonhole ${version}\n`)
    assert.match((await cli(['-h'])).out, /^Usage: pigeonhole \[COMMAND\]/m)
    const missing = await cli(['user', 'add'])
    assert.equal(missing.code, 2)
    assert.match(missing.err, /missing argument: pigeonhole user add NAME/)
    assert.match((await cli(['usr', 'list'])).err, /unknown command "usr"; did you mean user\?/)
  })

  it('stats and user list on a directory with no store say so, exit 2, and create nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pigeonhole-empty-'))
    try {
      for (const args of [['stats'], ['user', 'list']]) {
        const r = await cli([...args, '--data-dir', join(empty, 'nothing-here')])
        assert.equal(r.code, 2)
        assert.match(r.err, /there is no Pigeonhole store in .*nothing-here/)
      }
      assert.deepEqual(readdirSync(empty), [], 'nothing was created')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
