import { readFileSync } from 'node:fs'
import pg from 'pg'
import { postgresBin, type Started, startCluster } from '../../test/support/postgres.js'
import { pool } from './client.js'
import { userName } from './seed.js'
import { burst, type Figures, type Options, register, wrongOrMissing } from './scenarios.js'
import { BenchServer, removeDir } from './server.js'
import { crossNodeLatency } from './b6-live.js'

/** why B6 cannot run here (no PostgreSQL), or undefined */
export function b6SkipReason(): string | undefined {
  return postgresBin() ? undefined : 'PostgreSQL is not installed (apt-get install postgresql): B6 skipped'
}

/**
 * B6: B1's shape against two nodes (two bundle processes) on one throwaway PostgreSQL cluster with fsync and
 * synchronous commit on (PostgreSQL's defaults: a 202 means the commit reached the disk). Half the senders talk
 * to each node; the recipients are offline. Figures: durable messages/s, latency, and CPU per message of the
 * two nodes together and of the database's processes, then every message checked in the database; and how long
 * a message takes from a sender on one node to a stream on the other.
 */
export async function b6(opts: Options, run: number): Promise<Figures> {
  const { messages, senders: nSenders, recipients: nRecipients } = opts.sizes
  const tag = `b6r${run}`
  const recipients = Array.from({ length: nRecipients }, (_, i) => userName('rcpt', i))
  const cluster = await startCluster({ durable: true })
  const dirs = [BenchServer.freshDataDir(), BenchServer.freshDataDir()]
  const nodes: BenchServer[] = []
  try {
    // the nodes reach the database on its Unix socket, as nodes on the database's own machine would: over TCP
    // on loopback the kernel's work for each round trip cost the nodes and the database more than the send did
    const url = `postgres://postgres@/${new URL(await cluster.createDatabase()).pathname.slice(1)}?host=${cluster.socketDir}&port=${cluster.port}`
    // the CIR port off: two nodes on one machine would both want 3171
    const env = { PIGEONHOLE_DATABASE_URL: url, PIGEONHOLE_CIR_PORT: 'off' }
    for (const dir of dirs) nodes.push(await BenchServer.start(dir, { ...env, ...opts.serverEnv }, opts.serverArgs))
    const senders = (await Promise.all(nodes.map((node, n) =>
      register(node, Array.from({ length: nSenders }, (_, i) => userName('sndr', i)).filter((_, i) => i % 2 === n))))).flat()
    await Promise.all(nodes.map((node, n) => register(node, recipients.filter((_, i) => i % 2 === n))))
    await pool(senders, 8, async (c) => void (await c.login()))
    const both = { cpuSeconds: () => nodes[0].cpuSeconds() + nodes[1].cpuSeconds() }
    const database = new DatabaseCpu(cluster)
    const cold = await burst(both, senders, recipients, messages, `${tag}c`)
    const coldDbUs = database.usPerMessage(messages)
    const figures = await burst(both, senders, recipients, messages, `${tag}w`)
    const dbUs = database.usPerMessage(messages)
    for (const c of senders) c.close()
    const live = await crossNodeLatency(nodes)
    for (const node of nodes) await node.stop()
    const stored = await storedBodies(url)
    return {
      ...figures, ...live,
      databaseUsPerMsg: dbUs, coldMsgsPerSec: cold.msgsPerSec, coldP99Ms: cold.p99Ms, coldServerUsPerMsg: cold.serverUsPerMsg,
      coldDatabaseUsPerMsg: coldDbUs, failures: figures.failures + cold.failures,
      storedWrong: wrongOrMissing(stored, recipients, messages, `${tag}c`) + wrongOrMissing(stored, recipients, messages, `${tag}w`),
    }
  } finally {
    for (const node of nodes) await node.kill()
    await cluster.remove()
    if (!opts.keep) dirs.forEach(removeDir)
  }
}

/**
 * CPU the database's processes used since the last reading: every backend and helper (utime + stime), plus
 * what the postmaster reaped from children that ended (cutime + cstime). The nodes' pools keep their
 * backends for the whole burst, so almost all of it is in live processes.
 */
class DatabaseCpu {
  #last: number

  constructor(readonly cluster: Started) {
    this.#last = this.#seconds()
  }

  usPerMessage(messages: number): number {
    const now = this.#seconds()
    const used = now - this.#last
    this.#last = now
    return (used * 1e6) / messages
  }

  #seconds(): number {
    const [postmaster, ...children] = this.cluster.pids()
    let ticks = 0
    for (const pid of [postmaster, ...children]) {
      const f = statFields(pid)
      if (!f) continue
      ticks += Number(f[11]) + Number(f[12]) + (pid === postmaster ? Number(f[13]) + Number(f[14]) : 0)
    }
    return ticks / 100
  }
}

/** /proc/<pid>/stat after the command name: state is [0], utime [11], stime [12], cutime [13], cstime [14] */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  } catch {
    return undefined // ended meanwhile
  }
}

async function storedBodies(url: string): Promise<Array<{ recipient: string; body: string }>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query("SELECT recipient, record->>'body' AS body FROM messages")).rows
  } finally {
    await client.end()
  }
}
