import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Client } from '../support/client.js'
import { runCli } from '../support/cli.js'
import { ensureBundle, exited, type ServerProcess, startProcess } from '../support/process.js'
import { eventually } from '../support/eventually.js'
import { type PeerSide, peerSide } from '../support/relay.js'

/** one server of the pair as its own process, configured as an admin would: variables and a peers file */
function start(side: PeerSide, other: PeerSide): Promise<ServerProcess> {
  const peersFile = join(side.dataDir, 'peers.json')
  writeFileSync(peersFile, JSON.stringify({ [other.domain]: { url: other.url, publicKey: other.publicKey } }))
  return startProcess([ensureBundle()], {
    PIGEONHOLE_DATA_DIR: side.dataDir, PIGEONHOLE_PORT: String(side.port), PIGEONHOLE_DOMAIN: side.domain,
    PIGEONHOLE_PEERS: peersFile, PIGEONHOLE_CIR_PORT: 'off', PIGEONHOLE_ADMIN_PASSWORD: 'admin-password',
    PIGEONHOLE_RELAY_RETRY_MIN_MS: '50', PIGEONHOLE_RELAY_RETRY_MAX_MS: '400', PIGEONHOLE_OUTBOX_MAX_MESSAGES: '1000',
  })
}

async function stop(p: ServerProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return
  p.child.kill(signal)
  await exited(p.child)
}

describe('two servers as two processes: kill -9 of the sender with relays in flight loses nothing and doubles nothing', () => {
  let sa: PeerSide
  let sb: PeerSide
  let a: ServerProcess | undefined
  let b: ServerProcess | undefined
  before(async () => {
    ;[sa, sb] = [await peerSide('a.example'), await peerSide('b.example')]
    for (const [side, user] of [[sa, 'alice'], [sb, 'bob']] as const) {
      const made = await runCli(['user', 'add', user, '--password', `${user}-password`, '--data-dir', side.dataDir])
      assert.equal(made.code, 0, made.err)
    }
  })
  after(async () => {
    await stop(a)
    await stop(b)
  })

  it('pigeonhole relay key prints the key the peer pinned', async () => {
    const printed = await runCli(['relay', 'key', '--data-dir', sa.dataDir, '--domain', 'a.example'])
    assert.equal(printed.out.split('\n')[0], sa.publicKey)
  })

  it('alice writes while b.example is down, then again while it is up; a.example is killed mid-relay and restarted: bob has every acknowledged message once', async () => {
    a = await start(sa, sb)
    assert.match(a.output(), /relay: a\.example writes to b\.example/, 'the start-up lines say the relay is on, and to whom')
    const alice = new Client(a.url, 'alice')
    await alice.login()
    const acked: string[] = []
    for (let i = 0; i < 20; i++) {
      const sent = await alice.send('bob@b.example', `queued ${i}`)
      if (sent.body.result.details?.[0]?.code === 202) acked.push(`queued ${i}`)
    }
    assert.equal(acked.length, 20, 'b.example is down, yet every copy is accepted into the queue')

    b = await start(sb, sa)
    // a burst while the relay drains; the kill lands with requests and batches in flight
    const burst = (async () => {
      for (let i = 0; i < 300; i++) {
        const sent = await alice.send('bob@b.example', `burst ${i}`).catch(() => undefined)
        if (!sent) return
        if (sent.body.result.details?.[0]?.code === 202) acked.push(`burst ${i}`)
      }
    })()
    await eventually('alice got 80 answers', () => acked.length >= 80)
    a.child.kill('SIGKILL')
    await burst
    await exited(a.child)

    a = await start(sa, sb) // what waited in its journal goes out at start
    const bob = new Client(b.url, 'bob')
    await bob.loginWith('pull')
    let ids: string[] = []
    await eventually(`bob has the ${acked.length} acknowledged messages`, async () => {
      ids = (await bob.get('/messages?limit=1000')).body.messages.map((m: { id: string }) => m.id)
      return ids.length >= acked.length
    }, 15_000)
    const bodies = await Promise.all(ids.map(async (id) => (await bob.get(`/messages/${id}`)).body.message.body as string))
    const counts = new Map<string, number>()
    for (const body of bodies) counts.set(body, (counts.get(body) ?? 0) + 1)
    assert.deepEqual(acked.filter((body) => counts.get(body) !== 1), [], 'every acknowledged message arrived exactly once')
    assert.ok(bodies.length <= acked.length + 1, 'at most the one send cut off before its answer arrived besides')
    assert.equal(new Set(bodies).size, bodies.length, 'nothing twice')
  })
})
