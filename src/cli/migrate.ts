import type { Config } from '../config.js'
import { loadPostgres } from '../server.js'
import { LowdbStore } from '../store/embedded/lowdb-store.js'
import { requireStore } from '../store/embedded/lock.js'
import { describeUrl } from '../store/postgres/db.js'
import { DatabaseError } from '../store/postgres/errors.js'
import { type ImportResult, importEmbedded, KINDS } from '../store/postgres/import.js'
import { type Args, expect, flagString } from './args.js'
import { type Io, table } from './commands.js'
import { COMMANDS } from './help.js'

/**
 * `pigeonhole migrate [--from DIR] [--merge]`: copies an embedded data directory (users with their password
 * hashes, lists and quotas, server metadata, waiting messages, reports, remembered outcomes) into the database
 * named by PIGEONHOLE_DATABASE_URL, all in one transaction, and prints the counts on both sides. The data
 * directory is opened as a server would open it, taking its lock: refused while a server runs there.
 */
export async function migrate(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 0, flags: ['from', 'merge'], usage: COMMANDS.migrate.usage })
  if (!config.databaseUrl) {
    throw new DatabaseError('migrate copies a data directory into PostgreSQL: set PIGEONHOLE_DATABASE_URL (or --database-url) to the database to fill')
  }
  const from = flagString(args, 'from') ?? config.dataDir
  requireStore(from, 'name the data directory to copy with --from')
  const where = describeUrl(config.databaseUrl)
  const source = await LowdbStore.open(from)
  try {
    const { PostgresStore } = await loadPostgres()
    const target = await PostgresStore.open(config.databaseUrl, { poolSize: 1, statementTimeoutMs: 0 })
    try {
      const contents = { ...source.exportAccounts(), boxes: source.exportBoxes() }
      const result = await importEmbedded(target.pool, contents, { merge: args.flags.has('merge'), where })
      io.out(`copied ${from} into the database at ${where}\n${countsTable(result)}`)
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}

const LABELS: Record<(typeof KINDS)[number], string> = {
  users: 'users', meta: 'server settings', messages: 'messages waiting', reports: 'reports waiting', settled: 'settled outcomes',
}

function countsTable({ source, copied, database }: ImportResult): string {
  return table([
    ['', 'DATA DIRECTORY', 'COPIED', 'DATABASE NOW'],
    ...KINDS.map((k) => [LABELS[k], String(source[k]), String(copied[k]), String(database[k])]),
  ])
}
