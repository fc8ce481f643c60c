import type { Session } from './sessions.js'
import type { Capabilities } from './types.js'

/** a session another node holds, as this node last heard of it (PROTOCOL.md 11) */
export interface PeerSession {
  id: string
  userId: string
  /** the node it is on */
  node: string
  capabilities: Capabilities
  door: string
  clientId: string | undefined
  lastSeen: number
  /** an open stream or a wake-up channel holds it */
  held: boolean
}

/** whose presence a session subscribed to, as another node keeps it */
export interface Watching {
  users: string[]
  lists: string[]
}

/** what a session's copies on every node keep alike: whom it watches, what it accepts, its time-to-live */
export interface SessionSettings {
  watching: Watching
  capabilities: Capabilities
  ttlSeconds: number
}

/** what a node needs to take up a session another node started (a client may send its token to any node) */
export interface SessionClaim {
  id: string
  userId: string
  clientId: string | undefined
  ttlSeconds: number
  createdAt: number
  capabilities: Capabilities
  door: string
  watching: Watching
}

/**
 * The sessions on the other nodes sharing this node's store, read synchronously (a send asks whether its
 * recipient is online without waiting): whoever implements it keeps a mirror fresh. One node alone has none.
 */
export interface PeerSessions {
  ofUser(userId: string): PeerSession[]
  all(): PeerSession[]
  /** when a user last heard of on another node was last seen there, once their sessions there are gone */
  lastSeen(userId: string): number | undefined
  /** the live session another node holds under this token, if any */
  claim?(token: string): Promise<SessionClaim | undefined>
  /** this node took up a session another node started: the others should know it lives here too */
  adopted?(session: Session): void
  /**
   * Resolves once the other nodes can find this node's session (its record is written), so that a client may
   * use its token on another node as soon as it has it. A write that failed is left to the next heartbeat.
   */
  written?(sessionId: string): Promise<void>
  /** ends a session another node holds, there and everywhere (an account disabled here) */
  end?(session: PeerSession, code: 601): Promise<void>
}

export const NO_PEERS: PeerSessions = { ofUser: () => [], all: () => [], lastSeen: () => undefined }
