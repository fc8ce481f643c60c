/**
 * A/B of B1's warm burst between builds, on a machine whose speed drifts: every bundle named runs as a server
 * at the same time, and bursts alternate between them (in turn, the order reversed every other round), so each
 * build sees the same moments of the machine. Prints the median server CPU per message and messages/s per
 * bundle, with every burst's figure. `npm run bench:ab -- old.mjs dist/pigeonhole.mjs` (`--rounds`, `--messages`).
 * A contender may carry `node` flags and environment after its path, space-separated in one argument, to compare
 * ways of starting the same build: `'dist/pigeonhole.mjs --max-semi-space-size=1 MALLOC_ARENA_MAX=2'`.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type BenchClient, median, pool } from './bench/client.js'
import { burst, register } from './bench/scenarios.js'
import { userName } from './bench/seed.js'
import { BenchServer, envOf, removeDir } from './bench/server.js'

const { values: a, positionals: bundles } = parseArgs({
  options: { rounds: { type: 'string' }, messages: { type: 'string' } },
  allowPositionals: true,
})
if (bundles.length < 2) {
  console.error('npm run bench:ab -- A.mjs B.mjs [C.mjs…] [--rounds 8] [--messages 5000]')
  process.exit(2)
}
const rounds = Number(a.rounds ?? 8)
const messages = Number(a.messages ?? 5000)
// every round adds `messages` to the same 200 boxes: room for all of them
const env = { PIGEONHOLE_INBOX_MAX_MESSAGES: String((rounds + 1) * messages), PIGEONHOLE_INBOX_MAX_BYTES: String(1e9) }

/** `path [--node-flag…] [NAME=value…]` */
function contenderOf(spec: string): { bundle: string; nodeArgs: string[]; env: Record<string, string> } {
  const [bundle, ...rest] = spec.split(' ').filter(Boolean)
  return { bundle: resolve(bundle), nodeArgs: rest.filter((w) => w.startsWith('-')), env: envOf(rest.filter((w) => !w.startsWith('-'))) }
}

const contenders: Array<{ bundle: string; dir: string; server: BenchServer; senders: BenchClient[]; recipients: string[]; us: number[]; rate: number[] }> = []
try {
  for (const bundle of bundles) {
    const dir = BenchServer.freshDataDir()
    const how = contenderOf(bundle)
    const server = await BenchServer.start(dir, { ...env, ...how.env }, how.nodeArgs, how.bundle)
    const contender = { bundle, dir, server, senders: [] as BenchClient[], recipients: [] as string[], us: [] as number[], rate: [] as number[] }
    contenders.push(contender)
    contender.senders = await register(server, Array.from({ length: 20 }, (_, i) => userName('sndr', i)))
    contender.recipients = Array.from({ length: 200 }, (_, i) => userName('rcpt', i))
    await register(server, contender.recipients)
    await pool(contender.senders, 8, async (c) => void (await c.login()))
    await burst(server, contender.senders, contender.recipients, messages, 'cold') // the first burst after boot compiles the send path
  }
  for (let r = 0; r < rounds; r++) {
    for (const x of r % 2 ? [...contenders].reverse() : contenders) {
      const f = await burst(x.server, x.senders, x.recipients, messages, `r${r}`)
      if (f.failures) throw new Error(`${x.bundle}: ${f.failures} sends failed`)
      x.us.push(f.serverUsPerMsg)
      x.rate.push(f.msgsPerSec)
    }
  }
  const list = (v: number[]) => v.map((n) => n.toFixed(0)).join(' ')
  for (const x of contenders) {
    console.log(`${x.bundle}: ${median(x.us).toFixed(0)} µs/msg (${list(x.us)}), ${median(x.rate).toFixed(0)} msg/s (${list(x.rate)}), RSS ${x.server.rss().rssMb.toFixed(0)} MB`)
  }
} finally {
  // a failed burst must not leave servers running behind the bench
  for (const x of contenders) {
    for (const c of x.senders) c.close()
    await x.server.stop().catch(() => x.server.kill())
    removeDir(x.dir)
  }
}
