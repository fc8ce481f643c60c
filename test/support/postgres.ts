import { execFile } from 'node:child_process'
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { freePort } from './free-port.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/**
 * A throwaway PostgreSQL cluster for one test file: initdb into a temp directory (as the `postgres` user when
 * the tests run as root), a free port on 127.0.0.1, the socket in the temp directory, fsync off (tests only),
 * trust authentication. Started on first use, stopped and removed when the file's tests are done.
 */
export interface TestCluster {
  /** a fresh, empty database; returns its URL */
  createDatabase(): Promise<string>
  /** stops the server (fast: sessions are cut), as an outage */
  stop(): Promise<void>
  start(): Promise<void>
  /** stops every process of the server with SIGSTOP, as a database that hangs; returns the thaw (SIGCONT) */
  freeze(): () => void
  /** the server's processes now: the postmaster first, then its children (backends, writers) */
  pids(): number[]
  port: number
  /** the directory of its Unix socket: `postgres:///DB?host=DIR` reaches it without TCP */
  socketDir: string
}

/** the newest installed PostgreSQL's bin directory, or undefined */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(root, versions[0], 'bin') : undefined
}

/** why the PostgreSQL tests skip here, or undefined when they can run */
export function postgresSkipReason(): string | undefined {
  if (process.env.PIGEONHOLE_TEST_POSTGRES === 'off') return 'PIGEONHOLE_TEST_POSTGRES=off'
  return postgresBin() ? undefined : 'PostgreSQL is not installed here (apt-get install postgresql); the PostgreSQL store is not tested'
}

/**
 * Call at the top level of a test file: returns a getter for the file's cluster, started on its first call,
 * stopped and removed after the file's last test.
 */
export function useTestCluster(): () => Promise<TestCluster> {
  let started: Promise<Started> | undefined
  after(async () => {
    const c = await started?.catch(() => undefined)
    await c?.remove()
  })
  return () => (started ??= startCluster())
}

export interface Started extends TestCluster {
  remove(): Promise<void>
}

/**
 * Starts a throwaway cluster (the caller removes it). `durable` keeps PostgreSQL's own defaults, fsync and
 * synchronous commit on, for benchmarks whose figure is durable messages; tests turn them off for speed.
 */
export async function startCluster(opts: { durable?: boolean } = {}): Promise<Started> {
  const bin = postgresBin()
  if (!bin) throw new Error('PostgreSQL is not installed')
  const asRoot = process.getuid?.() === 0
  const tool = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args]) : run(join(bin, name), args)
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-pg-'))
  if (asRoot) chownSync(dir, ...(await postgresIds()))
  const data = join(dir, 'data')
  const port = await freePort()
  await tool('initdb', ['--no-sync', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '-D', data])
  appendFileSync(data + '/postgresql.conf', [
    `port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'max_connections = 200',
    ...(opts.durable ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']), '',
  ].join('\n'))
  const start = () => tool('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', 'start']).then(() => {})
  await start()
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`
  let n = 0
  return {
    port,
    socketDir: dir,
    start,
    async remove() {
      await tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
    stop: () => tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).then(() => {}),
    pids: () => serverProcesses(data),
    freeze() {
      const pids = serverProcesses(data)
      for (const pid of pids) process.kill(pid, 'SIGSTOP')
      return () => pids.forEach((pid) => process.kill(pid, 'SIGCONT'))
    },
    async createDatabase() {
      const name = `t${++n}`
      const client = new pg.Client({ connectionString: admin })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
  }
}

/** the postmaster (first line of postmaster.pid) and its children, found by their parent pid in /proc */
function serverProcesses(data: string): number[] {
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
  const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      // the fields after the command's closing parenthesis: state, then the parent's pid
      return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === postmaster ? [Number(d)] : []
    } catch {
      return [] // gone meanwhile
    }
  })
  return [postmaster, ...children]
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout } = await run('id', ['-u', 'postgres'])
  const { stdout: gid } = await run('id', ['-g', 'postgres'])
  return [Number(stdout.trim()), Number(gid.trim())]
}
