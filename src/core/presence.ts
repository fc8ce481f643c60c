import { requireUser } from './accounts.js'
import type { Core } from './context.js'

export interface PresenceState {
  userId: string
  /** derived from sessions: logged in = online; never published by a client */
  online: boolean
  /** the last request or hold of any of the user's sessions (now, while one is held); undefined if never seen */
  lastSeen: number | undefined
}

/** whether a user is logged in and when they were last seen (531 for an unknown user) */
export async function presenceOf(core: Core, userId: string): Promise<PresenceState> {
  await requireUser(core, userId)
  return { userId, online: core.sessions.online(userId), lastSeen: core.sessions.lastSeen(userId) }
}
