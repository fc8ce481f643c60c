import { readFileSync } from 'node:fs'
import { didYouMean } from './cli/suggest.js'
import { type Peer, readPeersFile } from './config-peers.js'

/** The one typed configuration, read once from PIGEONHOLE_* variables and the same names as flags. */
export interface Config {
  host: string
  port: number
  dataDir: string
  registration: 'open' | 'closed'
  adminPassword: string | undefined
  offline: boolean
  inboxMaxMessages: number
  inboxMaxBytes: number
  outboxMaxMessages: number
  sessionTtlSeconds: number
  sessionTtlMinSeconds: number
  sessionTtlMaxSeconds: number
  validityDefaultSeconds: number
  validityMaxSeconds: number
  maxBodyBytes: number
  /** the store writes its box files once the journal holds this much */
  checkpointBytes: number
  /** who may see a user's presence: their contacts, or every user (PROTOCOL.md 8) */
  presence: 'contacts' | 'all'
  /** reverse proxies whose X-Forwarded-For / -Proto are believed (their addresses as this server sees them) */
  trustProxy: string[]
  /** the bearer token /metrics asks for; without one, /metrics is off */
  metricsToken: string | undefined
  /** other origins whose browser clients may call /api/v1 (CORS); none by default */
  corsOrigins: string[]
  /** this server's domain: how WV-CSP writes user ids (`wv:alice@domain`); none by default (PROTOCOL.md 9, 10) */
  domain: string | undefined
  /** the STCP wake-up (CIR) listener's port: 0 any free port, 'off' none (PROTOCOL.md 9) */
  cirPort: number | 'off'
  /** the TCPAddress phones are told to connect to; defaults to the HTTP host when that is not a wildcard */
  cirAddress: string | undefined
  /** CIR connections in all, and from one address: the listener is reachable from the LAN */
  cirMaxConnections: number
  cirMaxPerAddress: number
  /** a PostgreSQL URL: several nodes share one database (PROTOCOL.md 11); none: the embedded store in dataDir */
  databaseUrl: string | undefined
  /** how many connections each node keeps to the database */
  databasePool: number
  /** the servers this one relays with, from the PIGEONHOLE_PEERS file (PROTOCOL.md 10); none: relay off */
  peers: Peer[]
  /** the relay's first retry after a failed attempt; each further one waits twice as long, up to the max */
  relayRetryMinMs: number
  relayRetryMaxMs: number
  /** this node's name among several on one database (the dashboard shows it); none: host name and port */
  nodeId: string | undefined
  /** how often a node on a shared database renews its sessions' records; a node silent 3 times this long is dead (at most 10 s) */
  nodeHeartbeatSeconds: number
  /** how long one database statement may take before the request is answered 503 (0: no limit) */
  databaseTimeoutMs: number
  /** the database password, kept apart from the URL (a credentials file); loadConfig puts it into databaseUrl */
  databasePassword: string | undefined
}

/** variables the program reads that are not configuration settings */
const OTHER_VARIABLES = ['PIGEONHOLE_USER_PASSWORD', 'PIGEONHOLE_UPDATE_DOCS', 'PIGEONHOLE_TEST_POSTGRES']

export const SESSION_TTL_BOUNDS = { min: 30, max: 86_400 } as const

export class ConfigError extends Error {}

export interface Setting {
  env: string
  key: keyof Config
  parse: (raw: string) => Config[keyof Config]
  /** may come from a file named by `<env>_FILE` (`--<flag>-file`), as systemd credentials and container secrets are given */
  secret?: boolean
}

const int = (min: number, max: number) => (raw: string) => {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`expected a whole number, got "${raw}"`)
  const n = Number(raw)
  if (n < min || n > max) throw new ConfigError(`must lie within ${min}–${max}, got ${n}`)
  return n
}
const oneOf = <T extends string>(...values: T[]) => (raw: string) => {
  if (!values.includes(raw as T)) throw new ConfigError(`expected one of ${values.join(', ')}, got "${raw}"`)
  return raw as T
}
/** a comma-separated list of origins like `https://chat.example.org` (scheme, host, optional port; no path) */
const origins = (raw: string) => {
  const list = raw.split(',').map((o) => o.trim()).filter(Boolean)
  for (const o of list) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o) && !/^https?:\/\/\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(o)) {
      throw new ConfigError(`expected origins like https://chat.example.org, comma-separated, got "${o}"`)
    }
  }
  return list.map((o) => o.toLowerCase())
}
const text = (raw: string) => {
  if (!raw) throw new ConfigError('must not be empty')
  return raw
}

export const SETTINGS: Setting[] = [
  { env: 'PIGEONHOLE_HOST', key: 'host', parse: text },
  { env: 'PIGEONHOLE_PORT', key: 'port', parse: int(0, 65535) },
  { env: 'PIGEONHOLE_DATA_DIR', key: 'dataDir', parse: text },
  { env: 'PIGEONHOLE_REGISTRATION', key: 'registration', parse: oneOf('open', 'closed') },
  { env: 'PIGEONHOLE_ADMIN_PASSWORD', key: 'adminPassword', secret: true, parse: (raw) => {
    if (raw.length < 8) throw new ConfigError('must be at least 8 characters')
    return raw
  } },
  { env: 'PIGEONHOLE_OFFLINE', key: 'offline', parse: (raw) => oneOf('on', 'off')(raw) === 'on' },
  { env: 'PIGEONHOLE_INBOX_MAX_MESSAGES', key: 'inboxMaxMessages', parse: int(0, 10_000_000) },
  { env: 'PIGEONHOLE_INBOX_MAX_BYTES', key: 'inboxMaxBytes', parse: int(0, 2 ** 40) },
  { env: 'PIGEONHOLE_OUTBOX_MAX_MESSAGES', key: 'outboxMaxMessages', parse: int(0, 10_000_000) },
  { env: 'PIGEONHOLE_SESSION_TTL', key: 'sessionTtlSeconds', parse: int(SESSION_TTL_BOUNDS.min, SESSION_TTL_BOUNDS.max) },
  { env: 'PIGEONHOLE_VALIDITY_DEFAULT', key: 'validityDefaultSeconds', parse: int(1, 10 * 365 * 86_400) },
  { env: 'PIGEONHOLE_VALIDITY_MAX', key: 'validityMaxSeconds', parse: int(1, 10 * 365 * 86_400) },
  { env: 'PIGEONHOLE_MAX_BODY_BYTES', key: 'maxBodyBytes', parse: int(1, 16 * 1024 * 1024) },
  { env: 'PIGEONHOLE_CHECKPOINT_BYTES', key: 'checkpointBytes', parse: int(4096, 1024 * 1024 * 1024) },
  { env: 'PIGEONHOLE_PRESENCE', key: 'presence', parse: oneOf('contacts', 'all') },
  { env: 'PIGEONHOLE_TRUST_PROXY', key: 'trustProxy', parse: (raw) => raw.split(',').map((a) => a.trim()).filter(Boolean) },
  { env: 'PIGEONHOLE_METRICS_TOKEN', key: 'metricsToken', secret: true, parse: (raw) => {
    if (raw.length < 16) throw new ConfigError('must be at least 16 characters')
    return raw
  } },
  { env: 'PIGEONHOLE_CORS_ORIGINS', key: 'corsOrigins', parse: origins },
  { env: 'PIGEONHOLE_DOMAIN', key: 'domain', parse: (raw) => {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw) || raw.length > 253) {
      throw new ConfigError(`expected a domain name like example.org, got "${raw.slice(0, 80)}"`)
    }
    return raw.toLowerCase()
  } },
  { env: 'PIGEONHOLE_CIR_PORT', key: 'cirPort', parse: (raw) => (raw === 'off' ? 'off' : int(0, 65535)(raw)) },
  { env: 'PIGEONHOLE_CIR_ADDRESS', key: 'cirAddress', parse: text },
  { env: 'PIGEONHOLE_CIR_MAX_CONNECTIONS', key: 'cirMaxConnections', parse: int(1, 1_000_000) },
  { env: 'PIGEONHOLE_CIR_MAX_PER_ADDRESS', key: 'cirMaxPerAddress', parse: int(1, 1_000_000) },
  { env: 'PIGEONHOLE_DATABASE_URL', key: 'databaseUrl', secret: true, parse: (raw) => {
    if (!/^postgres(ql)?:\/\/\S+$/.test(raw.trim())) throw new ConfigError('expected a URL like postgres://user:password@host:5432/pigeonhole')
    if (!readableDatabaseUrl(raw.trim())) {
      throw new ConfigError('the PostgreSQL client cannot read this URL: percent-encode @ : / in the password, and for a ' +
        'Unix socket give the port in the query (postgres://user@/pigeonhole?host=/run/postgresql&port=5433)')
    }
    return raw.trim()
  } },
  { env: 'PIGEONHOLE_DATABASE_POOL', key: 'databasePool', parse: int(1, 1000) },
  { env: 'PIGEONHOLE_PEERS', key: 'peers', parse: readPeersFile },
  { env: 'PIGEONHOLE_RELAY_RETRY_MIN_MS', key: 'relayRetryMinMs', parse: int(10, 3_600_000) },
  { env: 'PIGEONHOLE_RELAY_RETRY_MAX_MS', key: 'relayRetryMaxMs', parse: int(10, 86_400_000) },
  { env: 'PIGEONHOLE_NODE_ID', key: 'nodeId', parse: (raw) => {
    if (!/^[A-Za-z0-9._:-]{1,64}$/.test(raw)) throw new ConfigError(`expected up to 64 letters, digits and . _ : -, got "${raw.slice(0, 80)}"`)
    return raw
  } },
  // at most a third of the shortest time-to-live: a dead node's sessions must go offline within any session's
  { env: 'PIGEONHOLE_NODE_HEARTBEAT', key: 'nodeHeartbeatSeconds', parse: int(1, SESSION_TTL_BOUNDS.min / 3) },
  { env: 'PIGEONHOLE_DATABASE_TIMEOUT_MS', key: 'databaseTimeoutMs', parse: int(0, 3_600_000) },
  { env: 'PIGEONHOLE_DATABASE_PASSWORD', key: 'databasePassword', secret: true, parse: text },
]

export function defaultConfig(): Config {
  return {
    host: '127.0.0.1',
    port: 8080,
    dataDir: './data',
    registration: 'closed',
    adminPassword: undefined,
    offline: true,
    inboxMaxMessages: 1000,
    inboxMaxBytes: 1_048_576,
    outboxMaxMessages: 200,
    sessionTtlSeconds: 300,
    sessionTtlMinSeconds: SESSION_TTL_BOUNDS.min,
    sessionTtlMaxSeconds: SESSION_TTL_BOUNDS.max,
    validityDefaultSeconds: 604_800,
    validityMaxSeconds: 2_592_000,
    maxBodyBytes: 65_536,
    checkpointBytes: 16 * 1024 * 1024,
    presence: 'contacts',
    trustProxy: [],
    metricsToken: undefined,
    corsOrigins: [],
    domain: undefined,
    cirPort: 3171,
    cirAddress: undefined,
    cirMaxConnections: 5000,
    cirMaxPerAddress: 32,
    databaseUrl: undefined,
    databasePool: 10,
    peers: [],
    relayRetryMinMs: 1_000,
    relayRetryMaxMs: 300_000,
    nodeId: undefined,
    nodeHeartbeatSeconds: 10,
    databaseTimeoutMs: 5_000,
    databasePassword: undefined,
  }
}

/** every configuration flag, `--port` and so on */
export function configFlagNames(): string[] {
  return SETTINGS.flatMap((s) => (s.secret ? [flagName(s.env), `${flagName(s.env)}-file`] : [flagName(s.env)]))
}

/** `PIGEONHOLE_INBOX_MAX_BYTES` ↔ `--inbox-max-bytes` */
export function flagName(env: string): string {
  return '--' + env.replace(/^PIGEONHOLE_/, '').toLowerCase().replace(/_/g, '-')
}

/**
 * Builds the config from the environment, then flags (which win). Every bad value is reported at once,
 * naming the variable and the flag. Returns the arguments that were not configuration flags.
 */
export function loadConfig(env: Record<string, string | undefined>, argv: string[] = []): { config: Config; rest: string[] } {
  const raw = new Map<Setting, string>()
  const problems: string[] = unknownVariables(env)
  const fromFile = (s: Setting, path: string, named: string) => {
    try {
      raw.set(s, readFileSync(path, 'utf8').replace(/\r?\n$/, ''))
    } catch (err) {
      problems.push(`${named} names a file that cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (${path})`)
    }
  }
  for (const s of SETTINGS) {
    if (env[s.env] !== undefined) raw.set(s, env[s.env]!)
    else if (s.secret && env[`${s.env}_FILE`] !== undefined) fromFile(s, env[`${s.env}_FILE`]!, `${s.env}_FILE`)
  }
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const s = SETTINGS.find((x) => flagName(x.env) === flag)
    const file = SETTINGS.find((x) => x.secret && `${flagName(x.env)}-file` === flag)
    if (!s && !file) {
      rest.push(argv[i])
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined) throw new ConfigError(`${flag} needs a value`)
    if (s) raw.set(s, value)
    else fromFile(file!, value, flag)
  }
  const config = defaultConfig()
  for (const [s, value] of raw) {
    try {
      ;(config as unknown as Record<string, unknown>)[s.key] = s.parse(value)
    } catch (err) {
      problems.push(`${s.env} (${flagName(s.env)}) ${(err as Error).message}`)
    }
  }
  if (config.validityDefaultSeconds > config.validityMaxSeconds) {
    problems.push('PIGEONHOLE_VALIDITY_DEFAULT must not exceed PIGEONHOLE_VALIDITY_MAX')
  }
  if (config.peers.length && !config.domain) problems.push('PIGEONHOLE_PEERS needs PIGEONHOLE_DOMAIN: peers know this server by its domain')
  if (config.domain && config.peers.some((p) => p.domain === config.domain)) {
    problems.push(`PIGEONHOLE_PEERS names this server's own domain (${config.domain}) as a peer`)
  }
  if (config.databasePassword !== undefined) {
    const url = config.databaseUrl && withPassword(config.databaseUrl, config.databasePassword)
    if (url) config.databaseUrl = url
    else problems.push('PIGEONHOLE_DATABASE_PASSWORD needs PIGEONHOLE_DATABASE_URL with a user name in it, like postgres://pigeonhole@db.example/pigeonhole')
  }
  if (problems.length) throw new ConfigError(`bad configuration:\n  ${problems.join('\n  ')}`)
  return { config, rest }
}

/** variables named like ours that are not (PIGEONHOLE_PROT for PIGEONHOLE_PORT): a typo would otherwise go unseen */
function unknownVariables(env: Record<string, string | undefined>): string[] {
  const known = new Set([...SETTINGS.map((s) => s.env), ...SETTINGS.filter((s) => s.secret).map((s) => `${s.env}_FILE`), ...OTHER_VARIABLES])
  return Object.keys(env)
    .filter((name) => name.startsWith('PIGEONHOLE_') && !known.has(name) && env[name] !== undefined)
    .map((name) => `${name} is not a setting${didYouMean(name, known)}`)
}

/** the URL with `password` as its password (replacing any), or undefined when it names no user to give it to */
function withPassword(url: string, password: string): string | undefined {
  const m = /^(postgres(?:ql)?:\/\/)([^:@/?#]+)(?::[^@/?#]*)?@/.exec(url)
  return m ? `${m[1]}${m[2]}:${encodeURIComponent(password)}@${url.slice(m[0].length)}` : undefined
}

/**
 * A database URL as a WHATWG URL, which is how the `pg` client reads it; throws where it could not. A URL for a
 * Unix socket has no host (postgres://user@/db?host=/run/postgresql), which WHATWG URL refuses: one is put in.
 */
export function parseDatabaseUrl(url: string): URL {
  return new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*@)(?=\/)/, '$1localhost'))
}

function readableDatabaseUrl(url: string): boolean {
  try {
    parseDatabaseUrl(url)
    return true
  } catch {
    return false
  }
}
