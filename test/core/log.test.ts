import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { stdoutLog } from '../../src/log.js'

// A log line as journald or a terminal gets it: `time [tag] event key=value…`, one per call
describe('log lines', () => {
  const capture = () => {
    const lines: string[] = []
    return { lines, log: stdoutLog((l) => lines.push(l)) }
  }

  it('a line starts with an ISO time, then the tag and the event, and ends with a newline', () => {
    const { lines, log } = capture()
    log('messages', 'sent', { id: 'V1StGXR8', from: 'alice', to: 2, stored: 1 })
    assert.match(lines[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[messages\] sent id=V1StGXR8 from=alice to=2 stored=1\n$/)
  })

  it('a value with a space, a quote or an equals sign is quoted; missing values are left out; others are JSON', () => {
    const { lines, log } = capture()
    log('http', 'error', { path: '/a b', note: 'say "hi"', eq: 'a=b', gone: undefined, ok: false, list: [1, 2] })
    assert.equal(lines[0].replace(/^\S+ /, ''), '[http] error path="/a b" note="say \\"hi\\"" eq="a=b" ok=false list=[1,2]\n')
  })

  it('lines written in the same millisecond share its time, and a later one gets its own', () => {
    let ms = Date.UTC(2026, 11, 2, 19, 0, 0, 0)
    const lines: string[] = []
    const log = stdoutLog((l) => lines.push(l), () => ms)
    log('a', 'one')
    log('a', 'two')
    ms += 1
    log('a', 'three')
    assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['2026-12-02T19:00:00.000Z', '2026-12-02T19:00:00.000Z', '2026-12-02T19:00:00.001Z'])
  })
})
