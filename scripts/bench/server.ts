import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** PIGEONHOLE_BENCH_BUNDLE runs another build (e.g. an unminified one, for readable profiles) */
export const BUNDLE = resolve(process.env.PIGEONHOLE_BENCH_BUNDLE ?? 'dist/pigeonhole.mjs')

/** `NAME=value` words as an environment; anything else is a mistake worth stopping for */
export function envOf(words: string[]): Record<string, string> {
  return Object.fromEntries(words.map((w) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w)
    if (!m) throw new Error(`"${w}" is not NAME=value`)
    return [m[1], m[2]]
  }))
}

/** The built bundle as a child process on a port of its own, with the bench's quotas. */
export class BenchServer {
  private constructor(
    readonly proc: ChildProcess,
    readonly url: string,
    readonly host: string,
    readonly port: number,
    readonly dataDir: string,
    /** spawn → `listening on` line, ms */
    readonly bootMs: number,
    readonly exited: Promise<number | null>,
  ) {}

  static freshDataDir(): string {
    return mkdtempSync(join(tmpdir(), 'pigeonhole-bench-'))
  }

  static async start(dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = [], bundle = BUNDLE): Promise<BenchServer> {
    const started = performance.now()
    const proc = spawn(process.execPath, [...nodeArgs, bundle], {
      env: {
        PATH: process.env.PATH ?? '',
        PIGEONHOLE_HOST: '127.0.0.1',
        PIGEONHOLE_PORT: '0',
        PIGEONHOLE_DATA_DIR: dataDir,
        PIGEONHOLE_REGISTRATION: 'open',
        PIGEONHOLE_ADMIN_PASSWORD: 'bench-admin-password',
        // B1 has each sender queue 500 messages offline (two bursts of 250), B3 seeds 100 per sender: above the default of 200
        PIGEONHOLE_OUTBOX_MAX_MESSAGES: '10000000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)))
    let stderr = ''
    proc.stderr!.setEncoding("utf8").on("data", (d: string) => { if (process.env.BENCH_SERVER_STDERR) process.stderr.write(d); if ((stderr += d).length > 10_000) stderr = stderr.slice(-5000) })
    const url = await new Promise<string>((res, rej) => {
      let buf = ''
      let found = false
      // keep draining stdout (one log line per request) so that the server never blocks on a full pipe
      proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
        if (found) return
        buf += d
        const m = /listening on (http:\/\/\S+)/.exec(buf)
        if (m) {
          found = true
          buf = ''
          res(m[1])
        }
      })
      exited.then((code) => rej(new Error(`server exited (${code}) before listening:\n${stderr}${buf}`)))
    })
    const bootMs = performance.now() - started
    const u = new URL(url)
    return new BenchServer(proc, url, u.hostname, Number(u.port), dataDir, bootMs, exited)
  }

  get pid(): number {
    return this.proc.pid!
  }

  /** resident set size now and at its peak, MB */
  rss(): { rssMb: number; hwmMb: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 }
  }

  /** CPU seconds the server process has used (user + system) */
  cpuSeconds(): number {
    const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  }

  /** SIGTERM: the server checkpoints its store and exits */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return
    this.proc.kill('SIGTERM')
    const code = await this.exited
    if (code !== 0) throw new Error(`server exited with ${code} on SIGTERM`)
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL')
    await this.exited
  }
}

/** apparent size of everything under a directory, bytes */
export function dirBytes(dir: string): number {
  let n = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size
  }
  return n
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
