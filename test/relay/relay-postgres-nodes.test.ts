import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KEY_FILE } from '../../src/http/relay/keys.js'
import { stdoutLog } from '../../src/log.js'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { peerSide, relayConfig, type PeerSide } from '../support/relay.js'
import { TestServer } from '../support/server.js'

const cluster = useTestCluster()
/** long enough that no retry comes by itself during the test: the test says when each node tries */
const NO_RETRY = { relayRetryMinMs: 600_000, relayRetryMaxMs: 600_000 }

describe('a.example runs two nodes on one PostgreSQL: one of them at a time hands b.example its backlog', { skip: postgresSkipReason() }, () => {
  let sa: PeerSide
  let sb: PeerSide
  let a1: TestServer
  let a2: TestServer
  let b: TestServer | undefined
  const bLog: string[] = []
  before(async () => {
    const databaseUrl = await (await cluster()).createDatabase()
    ;[sa, sb] = [await peerSide('a.example'), await peerSide('b.example')]
    const shared = { databaseUrl, databasePool: 4, nodeHeartbeatSeconds: 1, ...NO_RETRY }
    a1 = await TestServer.start(relayConfig(sa, [sb], { ...shared, nodeId: 'a1' }), { dataDir: sa.dataDir })
    // the second node has the same relay key: b.example pins one key for a.example (README: copy the key file)
    const dir2 = mkdtempSync(join(tmpdir(), 'pigeonhole-a2-'))
    copyFileSync(join(sa.dataDir, KEY_FILE), join(dir2, KEY_FILE))
    a2 = await TestServer.start({ ...relayConfig(sa, [sb], { ...shared, nodeId: 'a2' }), port: 0 }, { dataDir: dir2 })
  })
  after(async () => {
    await a1?.destroy()
    await a2?.destroy()
    await b?.destroy()
  })

  it('while b.example is down alice (node 1) and anna (node 2) queue 5 each; both nodes retry at once when it is back, and bob gets 10, each handed over once', async () => {
    const [alice] = await a1.users('alice', 'anna')
    const annaOnNode2 = a2.client('anna')
    await alice.login()
    await annaOnNode2.login()
    for (let i = 0; i < 5; i++) {
      assert.equal((await alice.send('bob@b.example', `from alice ${i}`)).body.result.details[0].code, 202)
      assert.equal((await annaOnNode2.send('bob@b.example', `from anna ${i}`)).body.result.details[0].code, 202)
    }
    await Promise.all([a1.server.core.relay!.idle(), a2.server.core.relay!.idle()]) // the first attempts fail: b is down

    b = await TestServer.start(relayConfig(sb, [sa]), { dataDir: sb.dataDir, log: stdoutLog((l) => bLog.push(l)) })
    await b.users('bob')
    await Promise.all([a1.server.core.relay!.retryNow(), a2.server.core.relay!.retryNow()])

    const waiting = await b.server.core.store.listMessages('bob')
    assert.equal(waiting.length, 10)
    assert.deepEqual(new Set(waiting.map((m) => m.body)).size, 10)
    const handedOver = bLog.filter((l) => / \[relay\] received /.test(l)).reduce((n, l) => n + Number(/ messages=(\d+)/.exec(l)![1]), 0)
    assert.equal(handedOver, 10, `b.example was handed each message once, not once per node:\n${bLog.filter((l) => /relay/.test(l)).join('')}`)
    assert.equal((await a1.server.core.store.waitingAt('b.example')).length, 0, 'nothing is left queued at a.example')
  })
})
