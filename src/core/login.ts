import { authenticate } from './accounts.js'
import { type CapabilityRequest, defaultCapabilities, negotiate } from './capabilities.js'
import { ImpsError, result } from './codes.js'
import type { UserRecord } from './types.js'
import type { Core } from './context.js'
import { clampTtl, type Session } from './sessions.js'

export interface LoginRequest {
  userId: string
  password: string
  clientId?: string
  timeToLive?: number
  capabilities?: CapabilityRequest
}

export interface LoginOutcome {
  session: Session
  /** false when the asked time-to-live was out of bounds and was clamped (605) */
  ttlAccepted: boolean
  pending: { messages: number; reports: number }
}

/** Login-Request: a new session; the same client id logging in again forces its older session out (601). */
export async function login(core: Core, req: LoginRequest, address = 'unknown'): Promise<LoginOutcome> {
  const user = await checkedAuthenticate(core, req.userId, req.password, address)
  const { ttl, accepted } = clampTtl(core.config, req.timeToLive)
  const caps = negotiate(core.config, defaultCapabilities(core.config), req.capabilities ?? {})
  if (req.clientId) {
    for (const old of core.sessions.ofUser(user.id).filter((s) => s.clientId === req.clientId)) {
      endSession(core, old, 601)
    }
  }
  const session = core.sessions.create(user.id, ttl, caps, req.clientId)
  core.log('sessions', 'login', { user: user.id, session: session.id, method: caps.deliveryMethod, ttl })
  return {
    session,
    ttlAccepted: accepted,
    pending: { messages: core.store.inboxUsage(user.id).messages, reports: core.store.reportCount(user.id) },
  }
}

/** authenticate, behind the failed-login throttles (429 with Retry-After once a limit is reached) */
export async function checkedAuthenticate(core: Core, userId: string, password: string, address: string): Promise<UserRecord> {
  const { account, address: byAddress } = core.throttles
  account.check(userId)
  byAddress.check(address)
  try {
    const user = await authenticate(core, userId, password)
    account.succeeded(userId)
    return user
  } catch (err) {
    if (err instanceof ImpsError && err.code === 409) {
      account.failed(userId)
      byAddress.failed(address)
      core.log('sessions', 'login_failed', { user: userId, address })
    }
    throw err
  }
}

export function setCapabilities(core: Core, session: Session, req: CapabilityRequest): void {
  session.capabilities = negotiate(core.config, session.capabilities, req)
}

/** KeepAlive-Request: optionally a new time-to-live, clamped to the server's bounds */
export function keepAlive(core: Core, session: Session, timeToLive?: number): { ttlAccepted: boolean } {
  if (timeToLive === undefined) return { ttlAccepted: true }
  const { ttl, accepted } = clampTtl(core.config, timeToLive)
  session.ttlSeconds = ttl
  return { ttlAccepted: accepted }
}

/** ends a session: its streams hear why (200 logout, 601 forced) and close */
export function endSession(core: Core, session: Session, code: 200 | 601 = 200): void {
  core.sessions.end(session)
  core.hub.closeSession(session, result(code, code === 601 ? 'Forced logout: this client logged in again elsewhere, or an administrator ended the session' : undefined))
  core.log('sessions', code === 601 ? 'forced_logout' : 'logout', { user: session.userId, session: session.id })
}
