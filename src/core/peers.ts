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

/**
 * The sessions on the other nodes sharing this node's store, read synchronously (a send asks whether its
 * recipient is online without waiting): whoever implements it keeps a mirror fresh. One node alone has none.
 */
export interface PeerSessions {
  ofUser(userId: string): PeerSession[]
  all(): PeerSession[]
}

export const NO_PEERS: PeerSessions = { ofUser: () => [], all: () => [] }
