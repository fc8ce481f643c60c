// Crash at any moment: bursts of concurrent sends to offline recipients, SIGKILL at a random moment, restart on
// the same data dir, and check that every message answered 200/202 is there exactly once, counters are right
// and every data file parses.  Usage: npm run crash-test -- [--trials 100] [--seconds 300] [--seed N]
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type Acked, checkDataDir } from './crash-check.js'

const SENDERS = 4
const RECIPIENTS = 20
const BUNDLE = join(import.meta.dirname, '..', 'dist', 'pigeonhole.mjs')

export interface CrashReport {
  trials: number
  acked: number
  lost: number
  problems: string[]
  seconds: number
}

export async function runCrashTrials(opts: { trials: number; seconds: number; seed: number }): Promise<CrashReport> {
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-crash-'))
  const env = {
    PIGEONHOLE_PORT: '0', PIGEONHOLE_DATA_DIR: dir, PIGEONHOLE_REGISTRATION: 'open',
    PIGEONHOLE_OUTBOX_MAX_MESSAGES: '10000000',
    // checkpoints every few dozen sends, so that kills land in the middle of them too
    PIGEONHOLE_CHECKPOINT_BYTES: '16384', PIGEONHOLE_INBOX_MAX_MESSAGES: '10000000', PIGEONHOLE_INBOX_MAX_BYTES: '1000000000',
  }
  let seed = opts.seed
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const started = Date.now()
  const report: CrashReport = { trials: 0, acked: 0, lost: 0, problems: [], seconds: 0 }
  try {
    const setup = await start(env)
    const names = [...Array.from({ length: SENDERS }, (_, i) => `s${i}`), ...Array.from({ length: RECIPIENTS }, (_, i) => `r${i}`)]
    await Promise.all(names.map((userId) => post(setup.url, '/users', { userId, password: 'crash-test-pw' })))
    await stop(setup.child, 'SIGTERM')

    while (report.trials < opts.trials && Date.now() - started < opts.seconds * 1000) {
      const server = await start(env)
      const tokens = await Promise.all(
        Array.from({ length: SENDERS }, async (_, i) => (await post(server.url, '/login', { userId: `s${i}`, password: 'crash-test-pw' })).token),
      )
      const acked: Acked[] = []
      let running = true
      const sender = async (i: number) => {
        while (running) {
          const to = Array.from(new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => `r${Math.floor(random() * RECIPIENTS)}`)))
          try {
            const a = await post(server.url, '/messages', { to, body: 'm'.repeat(150) }, tokens[i % SENDERS])
            if (a.result.code === 201 && a.messageId) for (const r of to) acked.push({ id: a.messageId, recipient: r, sender: `s${i % SENDERS}` })
          } catch {
            return // the server is gone
          }
        }
      }
      const burst = Array.from({ length: 16 }, (_, i) => sender(i))
      await new Promise((r) => setTimeout(r, 10 + random() * 300))
      server.child.kill('SIGKILL')
      await stop(server.child)
      running = false
      await Promise.all(burst)
      const { problems } = await checkDataDir(dir, acked)
      report.trials++
      report.acked += acked.length
      report.lost += problems.filter((p) => p.startsWith('acknowledged')).length
      report.problems.push(...problems.map((p) => `trial ${report.trials}: ${p}`))
      // the next trial starts from empty boxes, keeping the accounts
      rmSync(join(dir, 'boxes'), { recursive: true, force: true })
      rmSync(join(dir, 'journal'), { recursive: true, force: true })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  report.seconds = Math.round((Date.now() - started) / 1000)
  return report
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(base + '/api/v1' + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return res.json()
}

function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (c: Buffer) => {
      out += c
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ child, url: m[1] })
    })
    child.stderr!.on('data', (c: Buffer) => (out += c))
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)))
  })
}

function stop(child: ChildProcess, signal?: NodeJS.Signals): Promise<void> {
  if (signal) child.kill(signal)
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { trials: { type: 'string', default: '100' }, seconds: { type: 'string', default: '300' }, seed: { type: 'string', default: String(Date.now() % 1e6) } } })
  const r = await runCrashTrials({ trials: Number(values.trials), seconds: Number(values.seconds), seed: Number(values.seed) })
  console.log(`crash test (seed ${values.seed}): ${r.trials} trials in ${r.seconds} s, ${r.acked} acknowledged copies, ${r.lost} lost, ${r.problems.length} problems`)
  for (const p of r.problems.slice(0, 20)) console.log('  ' + p)
  process.exit(r.problems.length ? 1 : 0)
}
