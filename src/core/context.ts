import type { Config } from '../config.js'
import type { Log } from '../log.js'
import type { ActivityRing } from './activity.js'
import type { Bus } from './bus.js'
import type { Hub } from './hub.js'
import type { Clock, Ids, Store } from './ports.js'
import type { SessionTable } from './sessions.js'
import type { LoginGuard } from './login-guard.js'
import type { AdminSessions } from './admin-sessions.js'
import type { Metrics } from './metrics.js'
import type { Relay } from './relay/relay.js'
import type { PublishedPresence } from './types.js'

/** Everything the core's functions work over; built once by createCore. */
export interface Core {
  config: Config
  store: Store
  bus: Bus
  clock: Clock
  ids: Ids
  sessions: SessionTable
  /** the sinks of this node's sessions */
  hub: Hub
  /** what each user last published of their presence (in memory: phones publish again at every login) */
  published: Map<string, PublishedPresence>
  /** failed-login limits per account and per client address (protocol and dashboard alike) */
  loginGuard: LoginGuard
  /** who is logged in to the dashboard */
  adminSessions: AdminSessions
  log: Log
  /** counts for /metrics (fed from the bus and the store) */
  metrics: Metrics
  /** recent sends, deliveries and logins, for the dashboard (fed from the bus) */
  activity: ActivityRing
  /** the outbound relay to configured peers (PROTOCOL.md 10); undefined when there are none */
  relay?: Relay
  /** when this core was built (the dashboard's uptime) */
  startedAt: number
}
