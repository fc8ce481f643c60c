import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { TestServer } from '../support/server.js'
import { tempDir } from '../support/temp.js'

/** starts `pigeonhole` with these flags; resolves when it exits, or when it printed `until` (then stops it) */
function start(args: string[], until?: RegExp): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { PATH: process.env.PATH ?? '' } })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
      if (until?.test(out)) child.kill('SIGTERM')
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

describe('a start that fails says why in one sentence, exit code 2', () => {
  it('a port in use: and the one-time dashboard password is not used up by the failed start', async () => {
    const other = await TestServer.start()
    const dataDir = tempDir()
    try {
      const failed = await start(['--port', String(other.server.port), '--data-dir', dataDir])
      assert.equal(failed.code, 2)
      assert.equal(failed.err, `pigeonhole: cannot listen on 127.0.0.1:${other.server.port}: the port is in use by another program (is Pigeonhole already running?); stop it or choose another port with --port\n`)
      assert.doesNotMatch(failed.out, /password/)
    } finally {
      await other.destroy()
    }
    const second = await start(['--port', '0', '--data-dir', dataDir], /password \(generated, shown only this once\): \S+\n/)
    assert.match(second.out, /^listening on http:\/\/127\.0\.0\.1:\d+\ndashboard: .*password \(generated, shown only this once\): \S+$/m)
  })

  it('an address this machine does not have', async () => {
    const r = await start(['--host', '192.0.2.1', '--port', '0', '--data-dir', tempDir()])
    assert.equal(r.code, 2)
    assert.match(r.err, /^pigeonhole: cannot listen on 192\.0\.2\.1:0: this machine has no address 192\.0\.2\.1; use one of its addresses, or 0\.0\.0\.0 for all, with --host\n$/)
  })

  it('a data directory that cannot be used', async () => {
    const file = join(tempDir(), 'not-a-directory')
    writeFileSync(file, '')
    const r = await start(['--port', '0', '--data-dir', join(file, 'data')])
    assert.equal(r.code, 2)
    assert.match(r.err, /^pigeonhole: cannot use .*not-a-directory\/data as the data directory: ENOTDIR[^\n]*\n$/)
  })
})
