import { type Config, flagName, SETTINGS } from './config.js'

/** the effective configuration with secrets masked, for logs and the dashboard */
export function describeConfig(config: Config): Array<{ env: string; flag: string; value: string }> {
  return SETTINGS.map((s) => ({
    env: s.env,
    flag: flagName(s.env),
    value: s.key === 'adminPassword'
      ? (config.adminPassword ? '•••••• (set)' : '(generated at first start)')
      : s.key === 'metricsToken' ? (config.metricsToken ? '•••••• (set)' : '(off)')
      : s.key === 'corsOrigins' ? (config.corsOrigins.length ? config.corsOrigins.join(',') : '(none)')
      : s.key === 'trustProxy' ? (config.trustProxy.length ? config.trustProxy.join(',') : '(none)')
      : s.key === 'domain' ? (config.domain ?? '(none)')
      : s.key === 'peers' ? (config.peers.length ? config.peers.map((p) => p.domain).join(',') : '(none: relay off)')
      : s.key === 'cirAddress' ? (config.cirAddress ?? '(the HTTP host)')
      : s.key === 'nodeId' ? (config.nodeId ?? '(host name and port)')
      : s.key === 'databaseUrl' ? (config.databaseUrl ? maskPassword(config.databaseUrl) : '(none: the embedded store)')
      : s.key === 'databasePassword' ? (config.databasePassword ? '•••••• (set)' : '(none, or in the URL)')
      : s.key === 'databaseTimeoutMs' ? (config.databaseTimeoutMs ? `${config.databaseTimeoutMs}` : '0 (no limit)')
      : s.key === 'offline' ? (config.offline ? 'on' : 'off') : String(config[s.key]),
  }))
}

/** a database URL as it may be shown: the password, if any, masked */
function maskPassword(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '••••••'
    return decodeURI(u.toString())
  } catch {
    return '•••••• (set)'
  }
}
