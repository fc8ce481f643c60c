// Load held: many open event streams plus a steady send load; reports send and delivery latency.
// Usage: npm run load-streams -- [--streams 1000] [--rate 200] [--seconds 10]
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: {
  streams: { type: 'string', default: '1000' }, rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' },
} })
const STREAMS = Number(values.streams)
const RATE = Number(values.rate)
const SECONDS = Number(values.seconds)
const USERS = 20

const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-load-'))
const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, '..', 'dist', 'pigeonhole.mjs')], {
  env: { PATH: process.env.PATH ?? '', PIGEONHOLE_PORT: '0', PIGEONHOLE_DATA_DIR: dir, PIGEONHOLE_REGISTRATION: 'open' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const base = await new Promise<string>((resolve) => {
  let out = ''
  child.stdout!.on('data', (c: Buffer) => {
    out += c
    const m = /listening on (http:\/\/\S+)/.exec(out)
    if (m) resolve(m[1] + '/api/v1')
  })
})
const post = async (path: string, body: unknown, token?: string) => {
  const t0 = performance.now()
  const res = await fetch(base + path, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { json: (await res.json()) as any, ms: performance.now() - t0 }
}

const names = ['sender', ...Array.from({ length: USERS }, (_, i) => `u${i}`)]
await Promise.all(names.map((userId) => post('/users', { userId, password: 'load-test-pw' })))
const tokens = await Promise.all(names.map(async (userId) => (await post('/login', { userId, password: 'load-test-pw', timeToLive: 3600 })).json.token as string))
const [senderToken, ...userTokens] = tokens
console.log(`after logins: server RSS ${(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024).toFixed(0)} MB`)

const sentAt = new Map<string, number>()
const delivery: number[] = []
let open = 0
const controller = new AbortController()
for (let i = 0; i < STREAMS; i++) {
  const watch = i < USERS // the first stream of each user measures delivery
  fetch(`${base}/events`, { headers: { authorization: `Bearer ${userTokens[i % USERS]}` }, signal: controller.signal }).then(async (res) => {
    open++
    const decoder = new TextDecoder()
    for await (const chunk of res.body!) {
      if (!watch) continue
      for (const m of decoder.decode(chunk).matchAll(/"id":"([\w-]+)"/g)) {
        const t = sentAt.get(m[1])
        if (t !== undefined) delivery.push(performance.now() - t)
      }
    }
  }).catch(() => {})
}
while (open < STREAMS) await new Promise((r) => setTimeout(r, 50))
await new Promise((r) => setTimeout(r, 300))
const rssIdle = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024
console.log(`${STREAMS} streams open: server RSS ${rssIdle().toFixed(0)} MB`)
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024

const sendLatency: number[] = []
const interval = 1000 / RATE
const end = performance.now() + SECONDS * 1000
const inFlight: Promise<void>[] = []
for (let k = 0; performance.now() < end; k++) {
  const to = `u${k % USERS}`
  const t0 = performance.now()
  inFlight.push(post('/messages', { to: [to], body: 'load '.repeat(30) }, senderToken).then(({ json, ms }) => {
    sentAt.set(json.messageId, t0)
    sendLatency.push(ms)
  }))
  const wait = t0 + interval - performance.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
}
await Promise.all(inFlight)
await new Promise((r) => setTimeout(r, 500))
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]?.toFixed(1)
console.log(`load: ${STREAMS} open streams, ${sendLatency.length} sends at ~${RATE}/s for ${SECONDS} s, server RSS ${rss().toFixed(0)} MB`)
console.log(`  send answered  p50 ${pct(sendLatency, 0.5)} ms  p99 ${pct(sendLatency, 0.99)} ms`)
console.log(`  event arrived  p50 ${pct(delivery, 0.5)} ms  p99 ${pct(delivery, 0.99)} ms  (${delivery.length} measured)`)
controller.abort()
child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))
rmSync(dir, { recursive: true, force: true })
