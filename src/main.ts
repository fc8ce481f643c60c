import { runCli, UsageError } from './cli/index.js'
import { ConfigError } from './config.js'
import { ImpsError } from './core/codes.js'
import { StartupError } from './server.js'
import { DataDirError } from './store/embedded/lock.js'
import { DatabaseError } from './store/postgres/errors.js'

/** `pigeonhole [serve|user …|admin passwd|stats] [--flags]`: see src/cli/help.ts */
async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), env: process.env })
  if (code !== undefined) process.exitCode = code
}

main().catch((err) => {
  if (err instanceof UsageError) {
    process.stderr.write(`pigeonhole: ${err.message}\nRun "pigeonhole --help" for the commands.\n`)
    process.exit(2)
  }
  const known = err instanceof ConfigError || err instanceof DataDirError || err instanceof DatabaseError || err instanceof StartupError || err instanceof ImpsError
  process.stderr.write(`pigeonhole: ${known ? err.message : (err as Error).stack ?? String(err)}\n`)
  process.exit(err instanceof ImpsError ? 1 : known ? 2 : 1)
})
