import type { Config } from '../config.js'
import { addUser, resetPassword, setUserDisabled } from '../core/admin.js'
import { largestMailboxes, listUserRows, storeStats } from '../core/admin-queries.js'
import { setAdminPassword } from '../core/admin-password.js'
import { checkPassword } from '../core/accounts.js'
import type { Core } from '../core/context.js'
import { createCore } from '../core/create-core.js'
import { generatePassword } from '../core/passwords.js'
import { LowdbStore } from '../store/embedded/lowdb-store.js'
import { backupDataDir, restoreDataDir } from '../store/embedded/backup.js'
import { requireStore } from '../store/embedded/lock.js'
import { describeUrl } from '../store/postgres/db.js'
import { DatabaseError } from '../store/postgres/errors.js'
import { loadPostgres } from '../server.js'
import { type Args, expect, flagString } from './args.js'
import { COMMANDS } from './help.js'

export interface Io {
  out(text: string): void
  env: Record<string, string | undefined>
}

/**
 * Opens the data directory (taking its lock: refused while a server runs), runs `fn`, closes it. A command
 * that only reads refuses a directory that holds no store, and creates nothing there. With a database URL the
 * command works on the database instead, beside running servers.
 */
async function withCore<T>(config: Config, fn: (core: Core) => Promise<T>, { readOnly = false } = {}): Promise<T> {
  if (!config.databaseUrl && readOnly) requireStore(config.dataDir, 'start the server once there, or name the right one with --data-dir')
  const store = config.databaseUrl
    ? await (await loadPostgres()).PostgresStore.open(config.databaseUrl, { poolSize: 2, statementTimeoutMs: config.databaseTimeoutMs })
    : await LowdbStore.open(config.dataDir)
  try {
    return await fn(createCore({ config, store }))
  } finally {
    await store.close()
  }
}

/** the usage line of the command being run, for a missing argument */
function usageOf(args: Args): string {
  return COMMANDS[args.command ?? '']?.usage ?? ''
}

/** --password, else PIGEONHOLE_USER_PASSWORD, else undefined (generate) */
function givenPassword(args: Args, io: Io): string | undefined {
  return flagString(args, 'password') ?? (io.env.PIGEONHOLE_USER_PASSWORD || undefined)
}

export async function userAdd(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 1, flags: ['password'], usage: usageOf(args) })
  const given = givenPassword(args, io)
  const { id, password } = await withCore(config, (core) => addUser(core, args.words[0], given))
  io.out(given ? `created user ${id}\n` : `created user ${id}\npassword: ${password}\n`)
}

export async function userPasswd(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 1, flags: ['password'], usage: usageOf(args) })
  const given = givenPassword(args, io)
  const id = args.words[0].toLowerCase()
  const password = await withCore(config, (core) => resetPassword(core, id, given))
  io.out(given ? `password of ${id} changed\n` : `password of ${id} changed\npassword: ${password}\n`)
}

export async function userDisable(config: Config, args: Args, io: Io, disabled: boolean): Promise<void> {
  expect(args, { words: 1, flags: [], usage: usageOf(args) })
  const id = args.words[0].toLowerCase()
  await withCore(config, (core) => setUserDisabled(core, id, disabled))
  io.out(`${disabled ? 'disabled' : 'enabled'} user ${id}\n`)
}

export async function userList(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 0, flags: ['json'] })
  const rows = await withCore(config, async (core) => listUserRows(core), { readOnly: true })
  if (args.flags.has('json')) {
    io.out(JSON.stringify(rows.map(({ online: _o, sessions: _s, ...r }) => r), null, 2) + '\n')
    return
  }
  if (!rows.length) {
    io.out('no users yet; add one with: pigeonhole user add NAME\n')
    return
  }
  io.out(table([
    ['USER', 'STATUS', 'WAITING', 'BYTES', 'QUEUED', 'REPORTS', 'QUOTA OVERRIDES'],
    ...rows.map((r) => [
      r.id, r.disabled ? 'disabled' : 'enabled',
      `${r.inbox.messages}/${r.limits.inboxMaxMessages}`, `${r.inbox.bytes}/${r.limits.inboxMaxBytes}`,
      `${r.outbox}/${r.limits.outboxMaxMessages}`, String(r.reports),
      Object.entries(r.overrides).map(([k, v]) => `${k}=${v}`).join(' ') || '-',
    ]),
  ]))
}

export async function stats(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 0, flags: ['json'] })
  const { s, boxes } = await withCore(config, async (core) => ({
    s: await storeStats(core),
    boxes: await largestMailboxes(core, 5),
  }), { readOnly: true })
  const { disabled } = s
  if (args.flags.has('json')) {
    io.out(JSON.stringify({ ...s, fullest: boxes }, null, 2) + '\n')
    return
  }
  io.out(table([
    config.databaseUrl ? ['database', describeUrl(config.databaseUrl)] : ['data directory', config.dataDir],
    ['users', `${s.users} (${disabled} disabled)`],
    ['messages waiting', String(s.messages)],
    ['bytes waiting', String(s.bytes)],
    ['reports waiting', String(s.reports)],
    ['store on disk', `${s.diskBytes} bytes`],
  ]))
  if (boxes.length) {
    io.out('\nfullest offline stores:\n')
    io.out(table(boxes.map((b) => [`  ${b.user}`, `${b.messages} messages`, `${b.bytes} bytes`])))
  }
}

export async function adminPasswd(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 0, flags: ['password'] })
  const given = flagString(args, 'password')
  const password = given ?? generatePassword()
  checkPassword(password)
  await withCore(config, (core) => setAdminPassword(core, password))
  io.out(given ? 'dashboard password changed\n' : `dashboard password changed\npassword: ${password}\n`)
}

/** aligned columns, two spaces apart */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n'
}

/** copies the data directory while the server may run: takes no lock, writes nothing there */
export async function backup(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 1, flags: [], usage: COMMANDS.backup.usage })
  noDatabase(config, 'backup')
  requireStore(config.dataDir, 'name the right one with --data-dir')
  const { files } = await backupDataDir(config.dataDir, args.words[0])
  io.out(`backed up ${config.dataDir} to ${args.words[0]} (${files} files)\n`)
}

/** puts a backup into an empty data directory, then opens it once to check it */
export async function restore(config: Config, args: Args, io: Io): Promise<void> {
  expect(args, { words: 1, flags: [], usage: COMMANDS.restore.usage })
  noDatabase(config, 'restore')
  await restoreDataDir(args.words[0], config.dataDir)
  const s = await withCore(config, (core) => storeStats(core))
  io.out(`restored ${args.words[0]} into ${config.dataDir}: ${s.users} users, ${s.messages} messages and ${s.reports} reports waiting\n`)
}

/** backup and restore copy a data directory; a database is backed up with its own tools */
function noDatabase(config: Config, command: string): void {
  if (config.databaseUrl) {
    throw new DatabaseError(`${command} copies the embedded data directory, but PIGEONHOLE_DATABASE_URL is set; back up the database with pg_dump (pg_dump -Fc) and restore it with pg_restore`)
  }
}
