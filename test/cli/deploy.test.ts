import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { it } from 'node:test'

const ANALYZE = '/usr/bin/systemd-analyze'

it('the shipped systemd unit passes systemd-analyze verify', (t) => {
  if (!existsSync(ANALYZE)) return t.skip('systemd-analyze is not installed (Debian package systemd)')
  const r = spawnSync(ANALYZE, ['verify', '--man=no', 'docs/deploy/pigeonhole.service'], { encoding: 'utf8' })
  // verify also reports on units this machine has; only lines about ours count
  const ours = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('pigeonhole.service'))
  assert.deepEqual(ours, [])
  assert.equal(r.status, 0, r.stderr)
})
