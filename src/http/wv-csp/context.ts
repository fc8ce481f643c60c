import type { Core } from '../../core/context.js'
import type { Ids } from './ids.js'
import type { WvSession, WvSessions } from './sessions.js'
import type { Namespaces, Version } from './version.js'
import type { El } from './xml/tree.js'

/** what a primitive's handler works with: the core, the request's version, how ids are written, its session */
export interface Ctx {
  core: Core
  version: Version
  ns: Namespaces
  ids: Ids
  sessions: WvSessions
  /** the client's address, asked for only at login (failed-login throttles) */
  address: () => string
  /** the host name the client reached this server by (its Host header): where a wildcard-bound CIR listener is */
  host: () => string | undefined
  /** the session the request's SessionID names (every primitive but Login-Request) */
  wv: WvSession
  /** set by Logout-Request: the answer carries no deliveries */
  ended?: boolean
}

/** a client's Request-mode primitive → the Response-mode primitive that answers it (an ImpsError becomes a Status) */
export type Handler = (ctx: Ctx, primitive: El) => Promise<El> | El
