import { setTimeout as sleep } from 'node:timers/promises'
import { timedBurst } from './burst.js'
import { BenchClient, percentile, pool } from './client.js'
import { body, SEEDED_PASSWORD, seedStore, storedMessages, userName } from './seed.js'
import { BenchServer, dirBytes, removeDir } from './server.js'

export interface Sizes {
  messages: number
  senders: number
  recipients: number
  drain: number
  b3Users: number
  b3PerUser: number
  b4Messages: number
  b4IntervalMs: number
}

export interface Options {
  sizes: Sizes
  serverArgs: string[]
  /** added to every server's environment (after the scenario's own) */
  serverEnv: Record<string, string>
  keep: boolean
}

export type Figures = Record<string, number>

/** accounts over HTTP, a few at a time (scrypt makes each one cost ~50 ms of server CPU); not timed */
export async function register(server: BenchServer, names: string[]): Promise<BenchClient[]> {
  const clients = names.map((n) => new BenchClient(server, n))
  await pool(clients, 8, (c) => c.register())
  return clients
}

export async function withServer<T>(opts: Options, dataDir: string, env: Record<string, string>, fn: (s: BenchServer) => Promise<T>): Promise<T> {
  const server = await BenchServer.start(dataDir, { ...env, ...opts.serverEnv }, opts.serverArgs)
  try {
    return await fn(server)
  } finally {
    await server.stop().catch(async (err) => {
      console.error(String(err))
      await server.kill()
    })
  }
}

/** idle RSS: an empty store, booted, left alone for a second */
export async function idle(opts: Options): Promise<Figures> {
  const dir = BenchServer.freshDataDir()
  try {
    return await withServer(opts, dir, {}, async (s) => {
      await sleep(1000)
      return { bootMs: s.bootMs, idleRssMb: s.rss().rssMb }
    })
  } finally {
    if (!opts.keep) removeDir(dir)
  }
}

/**
 * The burst itself: `senders` clients, each on its own keep-alive connection with one request in flight,
 * send `messages` messages round-robin to offline recipients. Timed from the first request to the last answer.
 */
export function burst(server: Pick<BenchServer, 'cpuSeconds'>, senders: BenchClient[], recipients: string[], messages: number, tag: string): Promise<Figures> {
  return timedBurst(server, senders, messages, async (c, i) => {
    const a = await c.send(recipients[i % recipients.length], body(`${tag}-${i}`))
    const ok = a.status === 200 && a.body?.result?.code === 201 && a.body.result.details?.[0]?.code === 202
    return ok ? undefined : JSON.stringify(a.body)
  })
}

/** every message of the burst is in the stopped server's data dir exactly once, with the right recipient */
export function verifyBurst(dir: string, recipients: string[], messages: number, tag: string): number {
  return wrongOrMissing(storedMessages(dir), recipients, messages, tag)
}

/** how many of the burst's messages are not among `stored` exactly once, for the right recipient */
export function wrongOrMissing(stored: Iterable<{ recipient: string; body: string }>, recipients: string[], messages: number, tag: string): number {
  const seen = new Uint32Array(messages)
  let wrong = 0
  const re = new RegExp(`^${tag}-(\\d+) `)
  for (const m of stored) {
    const hit = re.exec(m.body)
    if (!hit) continue
    const i = Number(hit[1])
    if (i >= messages || m.recipient !== recipients[i % recipients.length]) wrong++
    else seen[i]++
  }
  let bad = wrong
  for (const n of seen) if (n !== 1) bad++
  return bad
}

/**
 * B1 on an empty store: registration over HTTP (untimed), two bursts of `messages` (the first after boot,
 * "cold", then the same again on the now-warm server), a clean stop, the check on disk of both.
 */
export async function b1(opts: Options, run: number): Promise<Figures> {
  const { messages, senders: nSenders, recipients: nRecipients } = opts.sizes
  const dir = BenchServer.freshDataDir()
  const tag = `b1r${run}`
  const recipients = Array.from({ length: nRecipients }, (_, i) => userName('rcpt', i))
  try {
    let figures!: Figures
    await withServer(opts, dir, {}, async (s) => {
      const senders = await register(s, Array.from({ length: nSenders }, (_, i) => userName('sndr', i)))
      await register(s, recipients)
      await pool(senders, 8, async (c) => void (await c.login()))
      // the first burst after boot also pays for V8 compiling the send path; the second is the steady state
      const cold = await burst(s, senders, recipients, messages, `${tag}c`)
      figures = await burst(s, senders, recipients, messages, `${tag}w`)
      figures.coldMsgsPerSec = cold.msgsPerSec
      figures.coldP99Ms = cold.p99Ms
      figures.coldServerUsPerMsg = cold.serverUsPerMsg
      figures.coldServerCpu = cold.serverCpu
      figures.coldClientCpu = cold.clientCpu
      figures.failures += cold.failures
      figures.rssAfterMb = s.rss().rssMb
      for (const c of senders) c.close()
      if (run === 0) figures.rssRestedMb = await rested(s)
    })
    const wrong = verifyBurst(dir, recipients, messages, `${tag}c`) + verifyBurst(dir, recipients, messages, `${tag}w`)
    return { ...figures, storedWrong: wrong }
  } finally {
    if (!opts.keep) removeDir(dir)
  }
}

/** RSS once V8's memory reducer has run on the idle server (it gives the young generation back after 10–40 s) */
async function rested(s: BenchServer): Promise<number> {
  await sleep(45_000)
  return s.rss().rssMb
}

/** B2: one recipient with `drain` waiting messages logs in (push) and opens its stream, confirming each as it arrives */
export async function b2(opts: Options): Promise<Figures> {
  const n = opts.sizes.drain
  const dir = BenchServer.freshDataDir()
  try {
    return await withServer(opts, dir, { PIGEONHOLE_INBOX_MAX_MESSAGES: String(Math.max(1000, n)), PIGEONHOLE_INBOX_MAX_BYTES: String(n * 1024) }, async (s) => {
      const senders = await register(s, ['alice', 'bert', 'carl', 'dora'])
      const [bob] = await register(s, ['bob'])
      await pool(senders, 4, async (c) => void (await c.login()))
      let k = 0
      await pool(senders, 4, async (c) => {
        for (let i = k++; i < n; i = k++) {
          const a = await c.send('bob', body(`b2-${i}`))
          if (a.body?.result?.code !== 201) throw new Error(`B2 preload: ${JSON.stringify(a.body)}`)
        }
      })
      const login = await bob.login('push')
      if (login.body.pending.messages !== n) throw new Error(`B2: ${login.body.pending.messages} pending, expected ${n}`)
      // like a browser: up to six connections for the confirmations
      const confirmer = new BenchClient(s, 'bob', bob.password, 6)
      confirmer.token = bob.token
      const seen = new Set<string>()
      let arrived = 0
      let confirmed = 0
      let failures = 0
      let arrivedAt = 0
      let allConfirmed!: () => void
      const done = new Promise<void>((res) => (allConfirmed = res))
      const t0 = performance.now()
      const stream = await bob.openStream((event, data, at) => {
        if (event !== 'message' || seen.has(data.id)) return
        seen.add(data.id)
        if (++arrived === n) arrivedAt = at
        confirmer.call('POST', `/messages/${data.id}/delivered`).then((a) => {
          if (a.body?.result?.code !== 200) failures++
          if (++confirmed === n) allConfirmed()
        })
      })
      await Promise.race([done, sleep(30_000).then(() => Promise.reject(new Error(`B2: ${arrived} arrived, ${confirmed} confirmed after 30 s`)))])
      const confirmedAt = performance.now()
      stream.close()
      const quota = await bob.call('GET', '/quota')
      for (const c of [...senders, bob, confirmer]) c.close()
      return {
        arrivedS: (arrivedAt - t0) / 1000, confirmedS: (confirmedAt - t0) / 1000, failures,
        leftWaiting: quota.body.inbox.messages,
      }
    })
  } finally {
    if (!opts.keep) removeDir(dir)
  }
}

/** B3: a seeded store of b3Users × b3PerUser waiting messages; boot, memory, size, then B1 on top of it */
export async function b3(opts: Options, run: number): Promise<Figures> {
  const { b3Users, b3PerUser, messages, senders: nSenders, recipients: nRecipients } = opts.sizes
  const dir = BenchServer.freshDataDir()
  const users = Array.from({ length: b3Users }, (_, i) => userName('u', i))
  const recipients = users.slice(0, Math.min(nRecipients, b3Users))
  const senderNames = users.slice(-Math.min(nSenders, b3Users))
  const tag = `b3r${run}`
  try {
    const seeded = await seedStore(dir, { users, messagesPerUser: b3PerUser })
    const diskMb = dirBytes(dir) / 1e6
    let figures!: Figures
    await withServer(opts, dir, {}, async (s) => {
      const rssBoot = s.rss().rssMb
      await sleep(1000)
      const rssSettled = s.rss().rssMb
      const senders = senderNames.map((u) => new BenchClient(s, u, SEEDED_PASSWORD))
      await pool(senders, 8, async (c) => void (await c.login()))
      const c = await burst(s, senders, recipients, messages, `${tag}c`)
      const b = await burst(s, senders, recipients, messages, `${tag}w`)
      const after = s.rss()
      for (const c of senders) c.close()
      figures = {
        seeded, bootMs: s.bootMs, rssBootMb: rssBoot, rssSettledMb: rssSettled, rssAfterB1Mb: after.rssMb,
        rssPeakMb: after.hwmMb, diskMb, b1MsgsPerSec: b.msgsPerSec, b1P50Ms: b.p50Ms, b1P99Ms: b.p99Ms,
        b1ColdMsgsPerSec: c.msgsPerSec, b1ColdP99Ms: c.p99Ms, failures: b.failures + c.failures,
      }
    })
    figures.storedWrong = verifyBurst(dir, recipients, messages, `${tag}c`) + verifyBurst(dir, recipients, messages, `${tag}w`)
    return figures
  } finally {
    if (!opts.keep) removeDir(dir)
  }
}

/** B4: a connected push recipient; one sender at a light, steady rate; send → event on the stream */
export async function b4(opts: Options): Promise<Figures> {
  const { b4Messages: n, b4IntervalMs } = opts.sizes
  const dir = BenchServer.freshDataDir()
  try {
    return await withServer(opts, dir, {}, async (s) => {
      const [alice, bob] = await register(s, ['alice', 'bob'])
      await alice.login()
      await bob.login('push')
      const confirmer = new BenchClient(s, 'bob', bob.password, 2)
      confirmer.token = bob.token
      const sentAt = new Float64Array(n)
      const latency = new Float64Array(n).fill(NaN)
      let arrived = 0
      let failures = 0
      const stream = await bob.openStream((event, data, at) => {
        if (event !== 'message') return
        const i = Number(/^b4-(\d+) /.exec(data.body)?.[1])
        if (Number.isNaN(latency[i])) {
          latency[i] = at - sentAt[i]
          arrived++
        }
        confirmer.call('POST', `/messages/${data.id}/delivered`).catch(() => failures++)
      })
      await sleep(50)
      for (let i = 0; i < n; i++) {
        sentAt[i] = performance.now()
        const a = await alice.send('bob', body(`b4-${i}`))
        if (a.body?.result?.code !== 200) failures++
        await sleep(b4IntervalMs)
      }
      const deadline = performance.now() + 5000
      while (arrived < n && performance.now() < deadline) await sleep(5)
      stream.close()
      for (const c of [alice, bob, confirmer]) c.close()
      const sorted = Array.from(latency).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
      return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.at(-1) ?? NaN, lost: n - arrived, failures }
    })
  } finally {
    if (!opts.keep) removeDir(dir)
  }
}
