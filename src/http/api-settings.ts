import { Hono } from 'hono'
import { normaliseUserId, storeUser } from '../core/accounts.js'
import { editList, type ListEdit } from '../core/blocklist.js'
import type { Core } from '../core/context.js'
import { limitsFor } from '../core/quotas.js'
import type { UserRecord } from '../core/types.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { answer } from './render.js'
import { type Json, optBool, optObject, optStrArray, readJson } from './validate.js'

/** GetBlockedList, BlockEntity and the user's own quota usage */
export function settingsRoutes(core: Core): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  const auth = sessionAuth(core)

  api.get('/blocklist', auth, (c) => answer(c, 200, lists(core.store.getUser(c.get('session').userId)!)))

  api.post('/blocklist', auth, async (c) => {
    const o = await readJson(c)
    const block = listEdit(o, 'block')
    const grant = listEdit(o, 'grant')
    const user = core.store.getUser(c.get('session').userId)!
    const updated: UserRecord = { ...user, block: editList(user.block, block), grant: editList(user.grant, grant) }
    await storeUser(core, updated)
    return answer(c, 200, lists(updated))
  })

  api.get('/quota', auth, (c) => {
    const id = c.get('session').userId
    const limits = limitsFor(core.config, core.store.getUser(id))
    return answer(c, 200, {
      inbox: { ...core.store.inboxUsage(id), maxMessages: limits.inboxMaxMessages, maxBytes: limits.inboxMaxBytes },
      outbox: { queued: core.store.outboxQueued(id), maxQueued: limits.outboxMaxMessages },
    })
  })

  return api
}

function lists(user: UserRecord) {
  return { block: user.block, grant: user.grant }
}

function listEdit(o: Json, key: 'block' | 'grant'): ListEdit | undefined {
  const e = optObject(o, key)
  if (!e) return undefined
  const ids = (field: 'add' | 'remove') =>
    optStrArray(e, field, { max: 1000, itemMax: 64 })?.map((u) => normaliseUserId(u, `"${key}.${field}" entry`))
  return { inUse: optBool(e, 'inUse'), add: ids('add'), remove: ids('remove') }
}
