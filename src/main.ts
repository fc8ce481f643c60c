import { ConfigError, loadConfig } from './config.js'
import { stdoutLog } from './log.js'
import { startServer } from './server.js'
import { DataDirLockedError } from './store/lock.js'

/** `pigeonhole [serve] [--flags]`: reads the configuration, starts the server, stops cleanly on SIGINT/SIGTERM */
async function main(): Promise<void> {
  const { config, rest } = loadConfig(process.env, process.argv.slice(2))
  const command = rest[0] ?? 'serve'
  if (command !== 'serve') throw new ConfigError(`unknown command "${command}"`)
  const log = stdoutLog()
  const server = await startServer({ config, log })
  process.stdout.write(`listening on ${server.url}\n`)
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

main().catch((err) => {
  const known = err instanceof ConfigError || err instanceof DataDirLockedError
  process.stderr.write(`pigeonhole: ${known ? err.message : (err as Error).stack ?? String(err)}\n`)
  process.exit(known ? 2 : 1)
})
