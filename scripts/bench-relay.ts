/**
 * The relay's benchmarks (issue 15), two built bundles on loopback relaying to each other:
 *   R1  2,000 messages to offline users on the other server, end to end (queued on a.example, relayed,
 *       stored on b.example): messages/s, target ≥ 1,000; once on fresh servers (cold), then again (warm)
 *   R2  an online recipient on the other server: send → event on their stream, p99, target ≤ 30 ms
 * `npm run bench:relay -- --messages N --runs N`
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadOrCreateRelayKey } from '../src/http/relay/keys.js'
import { BenchClient, median, pool } from './bench/client.js'
import { crossNodeLatency } from './bench/b6-live.js'
import { BenchServer, removeDir } from './bench/server.js'
import { userName } from './bench/seed.js'
import { freePort } from '../test/support/free-port.js'

const { values: a } = parseArgs({ options: { messages: { type: 'string' }, runs: { type: 'string' }, samples: { type: 'string' } } })
const MESSAGES = Number(a.messages ?? 2000)
const RUNS = Number(a.runs ?? 3)
const SAMPLES = Number(a.samples ?? 300)
const SENDERS = 20
const RECIPIENTS = 200
const TOKEN = 'bench-metrics-token-0123456789'

interface Side { domain: string; dir: string; port: number; publicKey: string }

async function side(domain: string): Promise<Side> {
  const dir = BenchServer.freshDataDir()
  return { domain, dir, port: await freePort(), publicKey: loadOrCreateRelayKey(dir).publicKey }
}

function start(s: Side, other: Side): Promise<BenchServer> {
  const peers = join(s.dir, 'peers.json')
  writeFileSync(peers, JSON.stringify({ [other.domain]: { url: `http://127.0.0.1:${other.port}`, publicKey: other.publicKey } }))
  return BenchServer.start(s.dir, {
    PIGEONHOLE_PORT: String(s.port), PIGEONHOLE_DOMAIN: s.domain, PIGEONHOLE_PEERS: peers, PIGEONHOLE_CIR_PORT: 'off',
    PIGEONHOLE_METRICS_TOKEN: TOKEN, PIGEONHOLE_INBOX_MAX_MESSAGES: '100000', PIGEONHOLE_RELAY_RETRY_MIN_MS: '100',
  })
}

async function waiting(server: BenchServer): Promise<number> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  return Number(/^pigeonhole_messages_waiting (\d+)$/m.exec(await res.text())?.[1] ?? NaN)
}

async function users(server: BenchServer, prefix: string, n: number, login: boolean): Promise<BenchClient[]> {
  const out = Array.from({ length: n }, (_, i) => new BenchClient(server, userName(prefix, i)))
  await pool(out, 10, async (c) => {
    await c.register()
    if (login) await c.login()
  })
  return out
}

/** one burst of R1: timed from the first send until b.example holds every message */
async function relayBurst(a: BenchServer, b: BenchServer, senders: BenchClient[], tag: string): Promise<Record<string, number>> {
  const before = await waiting(b)
  const cpu0 = [a.cpuSeconds(), b.cpuSeconds()]
  const started = performance.now()
  let next = 0
  let refused = 0
  await Promise.all(senders.map(async (s) => {
    for (let i = next++; i < MESSAGES; i = next++) {
      const r = await s.call('POST', '/messages', { to: [`${userName('r', i % RECIPIENTS)}@b.example`], body: `${tag} message ${i} ${'x'.repeat(100)}` })
      if (r.body?.result?.details?.[0]?.code !== 202) refused++
    }
  }))
  const answered = performance.now() - started
  while ((await waiting(b)) < before + MESSAGES - refused) await new Promise((r) => setTimeout(r, 5))
  const elapsed = performance.now() - started
  const [cpuA, cpuB] = [a.cpuSeconds() - cpu0[0], b.cpuSeconds() - cpu0[1]]
  return {
    msgsPerSec: MESSAGES / (elapsed / 1000), acceptedPerSec: MESSAGES / (answered / 1000), refused,
    senderUsPerMsg: (cpuA * 1e6) / MESSAGES, receiverUsPerMsg: (cpuB * 1e6) / MESSAGES, leftQueued: await waiting(a),
  }
}

/** R1: a first burst on fresh servers (cold: the JIT and the caches warm up), then the same again (warm) */
async function r1(): Promise<Record<string, number>> {
  const [sa, sb] = [await side('a.example'), await side('b.example')]
  const [a, b] = [await start(sa, sb), await start(sb, sa)]
  try {
    const senders = await users(a, 's', SENDERS, true)
    await users(b, 'r', RECIPIENTS, false)
    const cold = await relayBurst(a, b, senders, 'cold')
    const warm = await relayBurst(a, b, senders, 'warm')
    for (const s of senders) s.close()
    return { ...warm, coldMsgsPerSec: cold.msgsPerSec, coldSenderUsPerMsg: cold.senderUsPerMsg, refused: cold.refused + warm.refused }
  } finally {
    await a.stop()
    await b.stop()
    removeDir(sa.dir)
    removeDir(sb.dir)
  }
}

/** R2: one message at a time to an online user on the other server; the clock stops when their stream has it */
async function r2(): Promise<Record<string, number>> {
  const [sa, sb] = [await side('a.example'), await side('b.example')]
  const [a, b] = [await start(sa, sb), await start(sb, sa)]
  try {
    const live = await crossNodeLatency([a, b], SAMPLES, 20, 'xnode-bob@b.example')
    return { p50Ms: live.liveP50Ms, p99Ms: live.liveP99Ms, lost: live.liveFailures }
  } finally {
    await a.stop()
    await b.stop()
    removeDir(sa.dir)
    removeDir(sb.dir)
  }
}

const results: Record<string, number>[][] = [[], []]
for (let run = 0; run < RUNS; run++) {
  results[0].push(await r1())
  results[1].push(await r2())
  console.error(`run ${run + 1}/${RUNS}: R1 ${results[0][run].msgsPerSec.toFixed(0)} msg/s (cold ${results[0][run].coldMsgsPerSec.toFixed(0)}), R2 p99 ${results[1][run].p99Ms.toFixed(1)} ms`)
}
const med = (i: number, key: string) => median(results[i].map((r) => r[key]))
const rows: Array<[string, number, string, boolean]> = [
  ['R1 relayed end to end, messages/s (warm)', med(0, 'msgsPerSec'), '≥ 1000', med(0, 'msgsPerSec') >= 1000],
  ['R1 the same on fresh servers (cold)', med(0, 'coldMsgsPerSec'), '', true],
  ['R1 cold: sender CPU per message, µs', med(0, 'coldSenderUsPerMsg'), '', true],
  ['R1 accepted by the sender (202), messages/s', med(0, 'acceptedPerSec'), '', true],
  ['R1 sender CPU per message, µs', med(0, 'senderUsPerMsg'), '', true],
  ['R1 receiver CPU per message, µs', med(0, 'receiverUsPerMsg'), '', true],
  ['R1 refused or left queued', med(0, 'refused') + med(0, 'leftQueued'), '= 0', med(0, 'refused') + med(0, 'leftQueued') === 0],
  ['R2 online across the link, p50 ms', med(1, 'p50Ms'), '', true],
  ['R2 online across the link, p99 ms', med(1, 'p99Ms'), '≤ 30', med(1, 'p99Ms') <= 30],
]
console.log(`\nRelay benchmarks (median of ${RUNS} runs, ${MESSAGES} messages, ${SAMPLES} live samples)`)
for (const [figure, value, target, ok] of rows) console.log(`  ${figure.padEnd(46)} ${value.toFixed(1).padStart(9)}  ${target.padEnd(7)} ${target ? (ok ? 'ok' : 'MISSED') : ''}`)
