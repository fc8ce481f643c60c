import type { Config } from '../config.js'
import type { Log } from '../log.js'
import type { Store } from '../store/store.js'
import type { Clock, Ids } from './clock.js'
import type { Hub } from './hub.js'
import type { SessionTable } from './sessions.js'
import type { SettledMemo } from './settled.js'
import type { LoginThrottle } from './throttle.js'

/** Everything the core's functions work over; built once in app.ts. */
export interface Core {
  config: Config
  store: Store
  clock: Clock
  ids: Ids
  sessions: SessionTable
  hub: Hub
  settled: SettledMemo
  /** failed-login limits per account and per client address (protocol and dashboard alike) */
  throttles: { account: LoginThrottle; address: LoginThrottle }
  log: Log
}
