import { Hono } from 'hono'
import { normaliseUserId, register } from '../core/accounts.js'
import { DELIVERY_METHODS } from '../core/capabilities.js'
import type { Core } from '../core/context.js'
import { changeOwnPassword, endSession, keepAlive, login, setCapabilities } from '../core/login.js'
import { badParameter } from '../core/refusals.js'
import { capabilityRequest } from './capability-input.js'
import { type ApiEnv, clientAddress, sessionAuth } from './middleware.js'
import { answer } from './render.js'
import { optInt, optObject, optOneOf, optStr, readJson, str } from './validate.js'

const TTL_FIELD_MAX = 10 * 365 * 86_400

/** registration, Login, ClientCapability, SetDeliveryMethod, KeepAlive, Logout */
export function sessionRoutes(core: Core): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  const auth = sessionAuth(core)

  api.post('/users', async (c) => {
    const o = await readJson(c)
    const userId = str(o, 'userId', { max: 64 })
    const password = str(o, 'password', { max: 1024 })
    const user = await register(core, userId, password)
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
    const { session, result, pending } = await login(core, req, clientAddress(c))
    return answer(c, result, {
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
    if (!deliveryMethod) throw badParameter(`"deliveryMethod" is required (${DELIVERY_METHODS.join(', ')})`)
    const session = c.get('session')
    setCapabilities(core, session, { deliveryMethod })
    return answer(c, 200, { capabilities: session.capabilities })
  })

  api.post('/keepalive', auth, async (c) => {
    const session = c.get('session')
    const result = keepAlive(core, session, optInt(await readJson(c), 'timeToLive', 0, TTL_FIELD_MAX))
    return answer(c, result, { keepAliveTime: session.ttlSeconds })
  })

  api.post('/password', auth, async (c) => {
    const o = await readJson(c)
    const current = str(o, 'password', { max: 1024 })
    const replacement = str(o, 'newPassword', { max: 1024 })
    await changeOwnPassword(core, c.get('session').userId, current, replacement, clientAddress(c))
    return answer(c, 200)
  })

  api.post('/logout', auth, async (c) => {
    endSession(core, c.get('session'))
    return answer(c, 200)
  })

  return api
}
