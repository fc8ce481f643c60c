import { defaultConfig } from '../config.js'
import { describeConfig } from '../config-describe.js'

export const COMMANDS: Record<string, { usage: string; summary: string; detail?: string }> = {
  serve: {
    usage: 'pigeonhole [serve] [config flags]',
    summary: 'start the server (the default command)',
    detail: 'Prints "listening on URL"; the dashboard is at /admin. On the first start without\nPIGEONHOLE_ADMIN_PASSWORD a dashboard password is generated and printed once.',
  },
  'user add': {
    usage: 'pigeonhole user add NAME [--password PW] [config flags]',
    summary: 'create an account',
    detail: 'The password comes from --password, else PIGEONHOLE_USER_PASSWORD, else one is generated\nand printed. Passwords have at least 8 characters.',
  },
  'user list': { usage: 'pigeonhole user list [--json] [config flags]', summary: 'list accounts with what waits for them' },
  'user disable': { usage: 'pigeonhole user disable NAME [config flags]', summary: 'stop an account from logging in (its messages stay)' },
  'user enable': { usage: 'pigeonhole user enable NAME [config flags]', summary: 'let a disabled account log in again' },
  'user passwd': {
    usage: 'pigeonhole user passwd NAME [--password PW] [config flags]',
    summary: "set an account's password",
    detail: 'The password comes from --password, else PIGEONHOLE_USER_PASSWORD, else one is generated\nand printed.',
  },
  'admin passwd': {
    usage: 'pigeonhole admin passwd [--password PW] [config flags]',
    summary: 'set the dashboard password',
    detail: 'The password comes from --password, else one is generated and printed. If\nPIGEONHOLE_ADMIN_PASSWORD is set, the server replaces it with that at its next start.',
  },
  stats: { usage: 'pigeonhole stats [--json] [config flags]', summary: 'what the store holds: users, waiting messages, bytes, disk' },
  backup: {
    usage: 'pigeonhole backup DEST [config flags]',
    summary: 'copy the data directory into DEST, a new or empty directory; works while the server runs',
    detail: 'The copy is consistent: restored, it holds every message acknowledged before the backup began.',
  },
  'relay key': {
    usage: 'pigeonhole relay key [config flags]',
    summary: "print this server's relay public key, for the peers that relay with it",
    detail: 'The key pair lives in relay-key.pem in the data directory (created at first start, mode 0600);\nkeep it in backups: peers have pinned its public half.',
  },
  restore: {
    usage: 'pigeonhole restore SRC [config flags]',
    summary: 'put a backup back into an empty data directory (the server stopped)',
    detail: 'The restored store is opened once to check it, and its counts are printed.',
  },
  migrate: {
    usage: 'pigeonhole migrate [--from DIR] [--merge] [config flags]',
    summary: 'copy a data directory into the PostgreSQL database of PIGEONHOLE_DATABASE_URL',
    detail: [
      'Copies users (password hashes, contact, block and grant lists, quotas), the dashboard password,',
      'waiting messages (same ids, offline flag and validity), reports and remembered outcomes from the data',
      'directory (--from, else PIGEONHOLE_DATA_DIR) into the database, in one transaction: all of it or',
      'nothing. Then prints the counts on both sides. Stop the server on the data directory first (it is',
      'locked while the server runs). A database that already holds users is refused unless --merge: then',
      'what is already there (same user, same message id) is kept and skipped, so running it again copies',
      'nothing twice. Nodes on the database may run meanwhile: their writes wait for the copy to commit,',
      'or are answered 503 once PIGEONHOLE_DATABASE_TIMEOUT_MS runs out.',
    ].join('\n'),
  },
}

const LOCK_NOTE = 'Commands other than serve work on the data directory while the server is stopped;\nwhile it runs they refuse (the directory is locked).'

function configFlags(): string {
  const defaults = describeConfig(defaultConfig())
  const width = Math.max(...defaults.map((d) => d.flag.length)) + 2
  return defaults.map((d) => `  ${d.flag.padEnd(width)}${d.env} ${d.value.startsWith('(') ? d.value : `(default ${d.value})`}`).join('\n')
}

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2
  return [
    'Pigeonhole: an OMA IMPS instant-messaging server with offline messaging.',
    '',
    'Usage: pigeonhole [COMMAND] [options] [config flags]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    LOCK_NOTE,
    '',
    'Config flags (each also an environment variable; flags win):',
    configFlags(),
    '',
    'Run "pigeonhole COMMAND --help" for one command.',
    '',
  ].join('\n')
}

export function commandHelp(name: string): string {
  const c = COMMANDS[name]
  return [
    `Usage: ${c.usage}`,
    '',
    `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.detail ? ['', c.detail] : []),
    ...(name === 'serve' ? [] : ['', LOCK_NOTE]),
    '',
    'Config flags: --data-dir DIR and the others listed by "pigeonhole --help".',
    '',
  ].join('\n')
}

export function userHelp(): string {
  const subs = Object.entries(COMMANDS).filter(([n]) => n.startsWith('user '))
  return [
    'Usage: pigeonhole user COMMAND [options] [config flags]',
    '',
    'Commands:',
    ...subs.map(([n, c]) => `  ${n.slice(5).padEnd(10)}${c.summary}`),
    '',
    LOCK_NOTE,
    '',
  ].join('\n')
}
