import { Hono } from 'hono'
import { createUser, normaliseUserId } from '../core/accounts.js'
import { DELIVERY_METHODS } from '../core/capabilities.js'
import { ImpsError, result } from '../core/codes.js'
import type { Core } from '../core/context.js'
import { endSession, keepAlive, login, setCapabilities } from '../core/login.js'
import { capabilityRequest } from './capability-input.js'
import { type ApiEnv, clientAddress, sessionAuth } from './middleware.js'
import { answer, iso } from './render.js'
import { optInt, optObject, optOneOf, optStr, readJson, str } from './validate.js'

const TTL_FIELD_MAX = 10 * 365 * 86_400

/** registration, Login, ClientCapability, SetDeliveryMethod, KeepAlive, Logout, presence */
export function sessionRoutes(core: Core): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  const auth = sessionAuth(core)

  api.post('/users', async (c) => {
    const o = await readJson(c)
    const userId = str(o, 'userId', { max: 64 })
    const password = str(o, 'password', { max: 1024 })
    if (core.config.registration !== 'open') {
      throw new ImpsError(403, 'Forbidden: registration is closed on this server; ask the administrator for an account')
    }
    const user = await createUser(core, userId, password)
    return answer(c, 200, { userId: user.id })
  })

  api.post('/login', async (c) => {
    const o = await readJson(c)
    const req = {
      userId: normaliseUserId(str(o, 'userId', { max: 64 })),
      password: str(o, 'password', { max: 1024 }),
      clientId: optStr(o, 'clientId', { max: 128 }),
      timeToLive: optInt(o, 'timeToLive', 0, TTL_FIELD_MAX),
      capabilities: capabilityRequest(optObject(o, 'capabilities') ?? {}),
    }
    const { session, ttlAccepted, pending } = await login(core, req, clientAddress(c))
    return answer(c, ttlAccepted ? 200 : result(605, ttlNotAccepted(core)), {
      token: session.token,
      sessionId: session.id,
      keepAliveTime: session.ttlSeconds,
      capabilities: session.capabilities,
      pending,
    })
  })

  api.post('/capabilities', auth, async (c) => {
    const session = c.get('session')
    setCapabilities(core, session, capabilityRequest(await readJson(c)))
    return answer(c, 200, { capabilities: session.capabilities })
  })

  api.post('/delivery-method', auth, async (c) => {
    const o = await readJson(c)
    const deliveryMethod = optOneOf(o, 'deliveryMethod', DELIVERY_METHODS)
    if (!deliveryMethod) throw new ImpsError(402, `Bad parameter: "deliveryMethod" is required (${DELIVERY_METHODS.join(', ')})`)
    const session = c.get('session')
    setCapabilities(core, session, { deliveryMethod })
    return answer(c, 200, { capabilities: session.capabilities })
  })

  api.post('/keepalive', auth, async (c) => {
    const session = c.get('session')
    const { ttlAccepted } = keepAlive(core, session, optInt(await readJson(c), 'timeToLive', 0, TTL_FIELD_MAX))
    return answer(c, ttlAccepted ? 200 : result(605, ttlNotAccepted(core)), { keepAliveTime: session.ttlSeconds })
  })

  api.post('/logout', auth, async (c) => {
    endSession(core, c.get('session'))
    return answer(c, 200)
  })

  api.get('/presence/:userId', auth, async (c) => {
    const userId = normaliseUserId(c.req.param('userId'))
    if (!core.store.getUser(userId)) throw new ImpsError(531, `Unknown user: there is no user "${userId}"`, { users: [userId] })
    const lastSeen = core.sessions.lastSeen(userId)
    return answer(c, 200, { userId, online: core.sessions.online(userId), lastSeen: lastSeen === undefined ? null : iso(lastSeen) })
  })

  return api
}

function ttlNotAccepted(core: Core): string {
  const { sessionTtlMinSeconds: min, sessionTtlMaxSeconds: max } = core.config
  return `New value not accepted: timeToLive must lie within ${min}–${max} seconds; the server uses the nearest bound (see keepAliveTime)`
}
