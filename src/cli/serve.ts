import type { Config } from '../config.js'
import { stdoutLog } from '../log.js'
import { startServer } from '../server.js'
import type { Io } from './commands.js'

/** starts the server and stops it cleanly on SIGINT/SIGTERM */
export async function serve(config: Config, io: Io): Promise<void> {
  const log = stdoutLog()
  const server = await startServer({ config, log })
  io.out(`listening on ${server.url}\n`)
  if (server.generatedAdminPassword) {
    io.out(`dashboard: ${server.url}/admin, password (generated, shown only this once): ${server.generatedAdminPassword}\n`)
  }
  if (server.cir) io.out(`CIR wake-up for phones (STCP) on TCP port ${server.cir.port}\n`)
  const peers = config.peers.map((p) => p.domain)
  if (peers.length) io.out(`relay: ${config.domain} writes to ${peers.join(', ')} (pigeonhole relay key prints this server's key for them)\n`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log('server', 'stopping', { signal })
    const force = setTimeout(() => process.exit(1), 5000)
    force.unref()
    server.close().then(
      () => process.exit(0),
      (err) => {
        log('server', 'stop_failed', { error: String(err) })
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}
