import { createServer, type Server, type Socket } from 'node:net'
import type { Config } from '../../../config.js'
import type { Core } from '../../../core/context.js'
import type { WvSessions } from '../sessions.js'
import { CirConnection } from './connection.js'

/** the STCP wake-up listener while it is up */
export interface CirServer {
  port: number
  /** the TCPAddress advertised (undefined: phones use the server's host) */
  address: string | undefined
  /** closes bound connections whose phone stopped PINGing for longer than its session's time-to-live */
  sweep(): void
  readonly connections: number
  close(): Promise<void>
}

/** an unbound connection has this long to say HELO */
const HELLO_MS = 30_000
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', ''])

/**
 * Starts the STCP CIR listener (PROTOCOL.md 9) on config.cirPort beside the HTTP server, or nothing when it is
 * 'off' or cannot be bound: CIR stays off and the log says why, so that the server still starts. While it is up,
 * ClientCapability advertises it (sessions.cir); phones bind with HELO <SessionID> and are woken with WVCI.
 */
export async function startCir(core: Core, sessions: WvSessions, config: Config): Promise<CirServer | undefined> {
  if (config.cirPort === 'off') return undefined
  const open = new Set<CirConnection>()
  const perAddress = new Map<string, number>()
  const server: Server = createServer((socket: Socket) => {
    const from = socket.remoteAddress ?? '?'
    const mine = perAddress.get(from) ?? 0
    if (open.size >= config.cirMaxConnections || mine >= config.cirMaxPerAddress) {
      core.log('cir', 'refused', { address: from, reason: open.size >= config.cirMaxConnections ? 'too many connections' : 'too many from this address' })
      socket.destroy()
      return
    }
    perAddress.set(from, mine + 1)
    const conn = new CirConnection(core, sessions, socket, HELLO_MS)
    open.add(conn)
    socket.once('close', () => {
      open.delete(conn)
      const n = (perAddress.get(from) ?? 1) - 1
      if (n > 0) perAddress.set(from, n)
      else perAddress.delete(from)
    })
  })
  const port = await new Promise<number | undefined>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      core.log('cir', 'off', { port: config.cirPort, reason: `cannot listen: ${err.code ?? err.message}` })
      resolve(undefined)
    })
    server.listen({ host: config.host, port: config.cirPort }, () => {
      const a = server.address()
      resolve(typeof a === 'object' && a ? a.port : undefined)
    })
  })
  if (port === undefined) return undefined
  server.on('error', (err) => core.log('cir', 'error', { error: String(err) }))
  const address = config.cirAddress ?? (WILDCARDS.has(config.host) ? undefined : config.host)
  sessions.cir = { address, port }
  core.log('cir', 'listening', { port, address: address ?? '(the server host)' })
  return {
    port,
    address,
    sweep: () => {
      for (const c of open) c.expireIfSilent()
    },
    get connections() {
      return open.size
    },
    close: () => {
      sessions.cir = undefined
      for (const c of open) c.close()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
