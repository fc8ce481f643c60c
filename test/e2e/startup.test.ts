import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runCli } from '../support/cli.js'
import { TestServer } from '../support/server.js'
import { tempDir } from '../support/temp.js'


describe('a start that fails says why in one sentence, exit code 2', () => {
  it('a port in use: and the one-time dashboard password is not used up by the failed start', async () => {
    const other = await TestServer.start()
    const dataDir = tempDir()
    try {
      const failed = await runCli(['--port', String(other.server.port), '--data-dir', dataDir])
      assert.equal(failed.code, 2)
      assert.equal(failed.err, `pigeonhole: cannot listen on 127.0.0.1:${other.server.port}: the port is in use by another program (is Pigeonhole already running?); stop it or choose another port with --port\n`)
      assert.doesNotMatch(failed.out, /password/)
    } finally {
      await other.destroy()
    }
    const second = await runCli(['--port', '0', '--data-dir', dataDir], { until: /password \(generated, shown only this once\): \S+\n/ })
    assert.match(second.out, /^listening on http:\/\/127\.0\.0\.1:\d+\ndashboard: .*password \(generated, shown only this once\): \S+$/m)
  })

  it('an address this machine does not have', async () => {
    const r = await runCli(['--host', '192.0.2.1', '--port', '0', '--data-dir', tempDir()])
    assert.equal(r.code, 2)
    assert.match(r.err, /^pigeonhole: cannot listen on 192\.0\.2\.1:0: this machine has no address 192\.0\.2\.1; use one of its addresses, or 0\.0\.0\.0 for all, with --host\n$/)
  })

  it('a data directory that cannot be used', async () => {
    const file = join(tempDir(), 'not-a-directory')
    writeFileSync(file, '')
    const r = await runCli(['--port', '0', '--data-dir', join(file, 'data')])
    assert.equal(r.code, 2)
    assert.match(r.err, /^pigeonhole: cannot use .*not-a-directory\/data as the data directory: ENOTDIR[^\n]*\n$/)
  })
})
