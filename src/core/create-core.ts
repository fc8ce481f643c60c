import type { Config } from '../config.js'
import { type Log, silentLog } from '../log.js'
import { ActivityRing } from './activity.js'
import { type Bus, LocalBus } from './bus.js'
import { nanoIds, systemClock } from './clock.js'
import { result } from './codes.js'
import type { Core } from './context.js'
import { Hub } from './hub.js'
import type { Clock, Ids, SharedState, Store } from './ports.js'
import { watchPresence } from './presence-watch.js'
import { SessionTable } from './sessions.js'
import { LoginGuard } from './login-guard.js'
import { AdminSessions } from './admin-sessions.js'
import { Metrics } from './metrics.js'
import type { Peer } from '../config-peers.js'
import type { PeerLink } from './relay/peer-link.js'
import { Relay } from './relay/relay.js'

export interface CoreDeps {
  config: Config
  store: Store
  bus?: Bus
  clock?: Clock
  ids?: Ids
  log?: Log
  metrics?: Metrics
  /** what nodes on one database must agree on (login throttles, dashboard sessions); none: this node's memory */
  shared?: SharedState
  /** how to reach a relay peer (the relay door's signed HTTP client); without it there is no outbound relay */
  peerLink?: (peer: Peer) => PeerLink
}

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock
  const ids = deps.ids ?? nanoIds
  const log = deps.log ?? silentLog
  const bus = deps.bus ?? new LocalBus((err) => log('bus', 'listener_failed', { error: String(err) }))
  const sessions = new SessionTable(clock, ids, (s) =>
    bus.publish({ type: 'SessionEnded', userId: s.userId, sessionId: s.id, result: result(600) }),
  )
  const hub = new Hub(sessions)
  const activity = new ActivityRing(clock)
  const metrics = deps.metrics ?? new Metrics()
  bus.subscribe((e) => hub.observe(e))
  bus.subscribe((e) => activity.observe(e))
  bus.subscribe((e) => metrics.observe(e))
  const core: Core = {
    config: deps.config, store: deps.store, bus, clock, ids, sessions, hub, published: new Map(), log, activity, metrics,
    startedAt: clock.now(),
    loginGuard: new LoginGuard(clock, deps.shared?.failures),
    adminSessions: new AdminSessions(clock, ids, deps.shared?.adminSessions),
  }
  if (deps.peerLink && deps.config.peers.length) core.relay = new Relay(core, deps.peerLink)
  watchPresence(core)
  return core
}
