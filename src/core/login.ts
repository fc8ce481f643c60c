import { authenticate, checkPassword, setPassword } from './accounts.js'
import { type CapabilityRequest, defaultCapabilities, negotiate } from './capabilities.js'
import { ImpsError, type Result, result } from './codes.js'
import type { Core } from './context.js'
import { forcedLogout, ttlNotAccepted } from './refusals.js'
import { clampTtl, type Session } from './sessions.js'
import type { UserRecord } from './types.js'

export interface LoginRequest {
  userId: string
  password: string
  clientId?: string
  timeToLive?: number
  capabilities?: CapabilityRequest
  /** the door the client came through (default "json") */
  door?: string
}

export interface LoginOutcome {
  session: Session
  /** 200, or 605 when the asked time-to-live was out of bounds and was clamped */
  result: Result
  pending: { messages: number; reports: number }
}

/** Login-Request: a new session; the same client id logging in again forces its older session out (601). */
export async function login(core: Core, req: LoginRequest, address = 'unknown'): Promise<LoginOutcome> {
  const user = await checkedAuthenticate(core, req.userId, req.password, address)
  const { ttl, accepted } = clampTtl(core.config, req.timeToLive)
  const caps = negotiate(core.config, defaultCapabilities(core.config), req.capabilities ?? {})
  if (req.clientId) {
    for (const old of core.sessions.ofUser(user.id).filter((s) => s.clientId === req.clientId)) endSession(core, old, 601)
  }
  const session = core.sessions.create(user.id, ttl, caps, req.clientId, req.door)
  core.log('sessions', 'login', { user: user.id, session: session.id, method: caps.deliveryMethod, ttl })
  core.bus.publish({ type: 'SessionStarted', userId: user.id, sessionId: session.id })
  const [[usage]] = await Promise.all([core.store.usage([user.id]), core.sessions.peers.written?.(session.id)])
  return { session, result: accepted ? result(200) : ttlRefusal(core), pending: { messages: usage.inbox.messages, reports: usage.reports } }
}

/** authenticate, behind the login guard (429 with Retry-After while this address may not try) */
export async function checkedAuthenticate(core: Core, userId: string, password: string, address: string): Promise<UserRecord> {
  await core.loginGuard.check(userId, address)
  try {
    const user = await authenticate(core, userId, password)
    await core.loginGuard.succeeded(userId, address)
    return user
  } catch (err) {
    if (err instanceof ImpsError && err.code === 409) {
      const wasLocked = await core.loginGuard.locked(userId)
      await core.loginGuard.failed(userId, address)
      core.log('sessions', 'login_failed', { user: userId, address })
      if (!wasLocked && (await core.loginGuard.locked(userId))) core.bus.publish({ type: 'LoginLockedOut', userId, address })
    }
    throw err
  }
}

/** a user changes their own password, proving the current one (behind the login guard, like a login) */
export async function changeOwnPassword(core: Core, userId: string, current: string, replacement: string, address: string): Promise<void> {
  checkPassword(replacement)
  await checkedAuthenticate(core, userId, current, address)
  await setPassword(core, userId, replacement)
  core.log('accounts', 'password_changed', { user: userId })
}

/** ClientCapability / SetDeliveryMethod: what the server agrees to, from what the session has */
export function setCapabilities(core: Core, session: Session, req: CapabilityRequest): void {
  session.capabilities = negotiate(core.config, session.capabilities, req)
  core.bus.publish({ type: 'SessionSettingsChanged', userId: session.userId, sessionId: session.id })
}

/** KeepAlive-Request: optionally a new time-to-live, clamped to the server's bounds (605 when it was) */
export function keepAlive(core: Core, session: Session, timeToLive?: number): Result {
  if (timeToLive === undefined) return result(200)
  const { ttl, accepted } = clampTtl(core.config, timeToLive)
  if (ttl !== session.ttlSeconds) {
    session.ttlSeconds = ttl
    core.bus.publish({ type: 'SessionSettingsChanged', userId: session.userId, sessionId: session.id })
  }
  return accepted ? result(200) : ttlRefusal(core)
}

/** ends a session: its sinks hear why (200 logout, 601 forced) and close */
export function endSession(core: Core, session: Session, code: 200 | 601 = 200): void {
  core.sessions.end(session)
  const why = code === 601 ? forcedLogout() : undefined
  core.log('sessions', code === 601 ? 'forced_logout' : 'logout', { user: session.userId, session: session.id })
  core.bus.publish({ type: 'SessionEnded', userId: session.userId, sessionId: session.id, result: result(code, why?.message) })
}

function ttlRefusal(core: Core): Result {
  const { message } = ttlNotAccepted(core.config.sessionTtlMinSeconds, core.config.sessionTtlMaxSeconds)
  return result(605, message)
}
