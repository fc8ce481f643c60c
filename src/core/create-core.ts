import type { Config } from '../config.js'
import { type Log, silentLog } from '../log.js'
import type { Store } from '../store/store.js'
import { type Clock, type Ids, nanoIds, systemClock } from './clock.js'
import type { Core } from './context.js'
import { Hub } from './hub.js'
import { SessionTable } from './sessions.js'
import { SettledMemo } from './settled.js'
import { LoginThrottle } from './throttle.js'

export function createCore(deps: { config: Config; store: Store; clock?: Clock; ids?: Ids; log?: Log }): Core {
  const clock = deps.clock ?? systemClock
  const ids = deps.ids ?? nanoIds
  const sessions = new SessionTable(clock, ids)
  return {
    config: deps.config, store: deps.store, clock, ids, sessions,
    hub: new Hub(sessions), settled: new SettledMemo(), log: deps.log ?? silentLog,
    throttles: {
      account: new LoginThrottle(clock, { maxFailures: 5, windowSeconds: 300 }),
      address: new LoginThrottle(clock, { maxFailures: 20, windowSeconds: 300 }),
    },
  }
}
