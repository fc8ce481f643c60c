import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import type { Config } from './config.js'
import { ensureAdminPassword } from './core/admin-password.js'
import { type Clock, type Ids, systemClock } from './core/clock.js'
import type { Peer } from './config-peers.js'
import { HttpPeerLink } from './http/relay/client.js'
import { checkSharedRelayKey, loadOrCreateRelayKey, type RelayKey, RelayKeyError } from './http/relay/keys.js'
import { resultOf } from './core/codes.js'
import { shuttingDown } from './core/refusals.js'
import type { Core } from './core/context.js'
import { createCore } from './core/create-core.js'
import { type CirServer, startCir } from './http/wv-csp/cir/listener.js'
import { wvSessionsOf } from './http/wv-csp/sessions.js'
import { sweep } from './core/expiry.js'
import { Metrics } from './core/metrics.js'
import { type Log, silentLog } from './log.js'
import { LowdbStore, type LowdbStoreOptions } from './store/embedded/lowdb-store.js'
import type { Store } from './store/store.js'
import type { SharedState } from './core/ports.js'

export interface RunningServer {
  url: string
  port: number
  core: Core
  /** the STCP wake-up listener, while it is up */
  cir: CirServer | undefined
  /** the dashboard password generated at this (first) start, to be printed once; undefined otherwise */
  generatedAdminPassword: string | undefined
  /** runs the expiry and session sweep now (tests move the clock, then call this) */
  sweep(): ReturnType<typeof sweep>
  close(): Promise<void>
}

export interface ServerOptions {
  config: Config
  clock?: Clock
  ids?: Ids
  log?: Log
  /** defaults to PostgreSQL when config.databaseUrl is set, else the lowdb store in config.dataDir */
  store?: Store
  /** options for the default lowdb store (tests put a failing file system under it) */
  storeOptions?: LowdbStoreOptions
  sweepIntervalMs?: number
  heartbeatMs?: number
}

/** opens the store, serves HTTP, sweeps periodically; close() ends streams and flushes the store */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? silentLog
  const metrics = new Metrics()
  const { databaseUrl } = opts.config
  // on a shared database every node needs a name of its own: its hints and sessions are told apart by it
  const config = databaseUrl ? { ...opts.config, nodeId: opts.config.nodeId ?? defaultNodeId(opts.config.port) } : opts.config
  const { store, shared } = opts.store ? { store: opts.store, shared: undefined } : await openStore({ ...opts, config }, log, metrics)
  const clock = opts.clock ?? systemClock
  let relayKey: RelayKey | undefined
  try {
    relayKey = config.domain ? loadOrCreateRelayKey(config.dataDir) : undefined
  } catch (err) {
    await store.close()
    throw err instanceof RelayKeyError ? new StartupError(err.message) : err
  }
  if (relayKey) await checkSharedRelayKey(store, relayKey, log)
  const peerLink = relayKey && ((peer: Peer) => new HttpPeerLink(peer, config.domain!, relayKey.privateKey, clock))
  const core = createCore({ config, store, clock, ids: opts.ids, log, metrics, shared, peerLink })
  const app = createApp(core, { heartbeatMs: opts.heartbeatMs, relayKey })
  let server: ReturnType<typeof serve>
  let admin: { generated?: string }
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: opts.config.host, port: opts.config.port }, () => resolve(s))
      s.once('error', (err: NodeJS.ErrnoException) => reject(listenRefusal(err, opts.config.host, opts.config.port)))
    })
    // only once listening: a start that fails must not use up the one-time password nobody was shown
    admin = await ensureAdminPassword(core)
  } catch (err) {
    await store.close()
    throw err
  }
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket))
  const cluster = await joinOtherNodes(core, store, config)
  // beside HTTP, never instead of it: a CIR port that cannot be bound is logged and CIR stays off
  const cir = await startCir(core, wvSessionsOf(core), opts.config)
  core.relay?.start() // what waited for peers across a restart goes out now
  const port = (server.address() as AddressInfo).port
  const host = opts.config.host.includes(':') ? `[${opts.config.host}]` : opts.config.host
  const runSweep = () => {
    cir?.sweep() // a silent CIR channel releases its hold before sessions are swept
    return sweep(core)
  }
  const timer = setInterval(() => runSweep().catch((err) => log('sweep', 'failed', { error: String(err) })), opts.sweepIntervalMs ?? 10_000)
  timer.unref()
  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    port,
    core,
    cir,
    generatedAdminPassword: admin.generated,
    sweep: runSweep,
    close() {
      closing ??= (async () => {
        clearInterval(timer)
        core.relay?.close()
        core.hub.closeAll(resultOf(shuttingDown()))
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        // streams get a moment to flush their goodbye; then whatever is still open is cut
        const cut = setTimeout(() => (server as unknown as { closeAllConnections(): void }).closeAllConnections(), 300)
        await closed
        clearTimeout(cut)
        await cir?.close()
        await cluster?.close()
        await store.close()
      })()
      return closing
    },
  }
}

/** PostgreSQL when config.databaseUrl is set (with the state the nodes share), else the embedded store in the data directory */
async function openStore(opts: ServerOptions, log: Log, metrics: Metrics): Promise<{ store: Store; shared?: SharedState }> {
  const { databaseUrl, databasePool, databaseTimeoutMs, dataDir, checkpointBytes } = opts.config
  if (databaseUrl) {
    const store = await (await loadPostgres()).PostgresStore.open(databaseUrl, {
      poolSize: databasePool, statementTimeoutMs: databaseTimeoutMs, nodeId: opts.config.nodeId, log: (e, f) => log('store', e, f),
    })
    return { store, shared: store.shared() }
  }
  const store = await LowdbStore.open(dataDir, {
    log: (e, f) => log('store', e, f), checkpointBytes, onCommit: (seconds) => metrics.commits.observe(seconds), ...opts.storeOptions,
  })
  return { store }
}

/** the PostgreSQL store (it loads its client only when opened) */
export const loadPostgres = () => import('./store/postgres/postgres-store.js')

/** on a PostgreSQL store, the link to the other nodes on the same database (PROTOCOL.md 11); none otherwise */
async function joinOtherNodes(core: Core, store: Store, config: Config) {
  if (!config.databaseUrl || !config.nodeId) return undefined
  const { PostgresStore } = await loadPostgres()
  if (!(store instanceof PostgresStore)) return undefined
  const { joinCluster } = await import('./store/postgres/cluster.js')
  return joinCluster(core, store, { url: config.databaseUrl, nodeId: config.nodeId, heartbeatSeconds: config.nodeHeartbeatSeconds })
}

/** host name and port; with port 0 (any free port) the process id and a few random characters instead */
function defaultNodeId(port: number): string {
  return `${hostname()}:${port || `${process.pid}-${randomBytes(3).toString('hex')}`}`
}

/** why the server could not listen, in one sentence an admin can act on */
function listenRefusal(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`
  switch (err.code) {
    case 'EADDRINUSE':
      return new StartupError(`cannot listen on ${where}: the port is in use by another program (is Pigeonhole already running?); stop it or choose another port with --port`)
    case 'EADDRNOTAVAIL':
      return new StartupError(`cannot listen on ${where}: this machine has no address ${host}; use one of its addresses, or 0.0.0.0 for all, with --host`)
    case 'EACCES':
      return new StartupError(`cannot listen on ${where}: not allowed (ports below 1024 need root or CAP_NET_BIND_SERVICE); choose a port above 1023 with --port`)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(`cannot listen on ${where}: "${host}" is not an address or a name this machine can resolve; fix --host`)
    default:
      return new StartupError(`cannot listen on ${where}: ${err.message}`)
  }
}

/** a start that failed for a reason outside the program: said in one sentence, exit code 2 */
export class StartupError extends Error {}

/** what Node's own parser refuses (oversized headers, garbage) still gets a protocol answer rather than a bare status line */
function answerClientError(err: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW'
  const body = JSON.stringify({
    result: { code: 400, text: tooLarge ? 'Bad request: the request headers are too large (at most 16 KB)' : 'Bad request: the request is not valid HTTP' },
  })
  socket.end(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}
