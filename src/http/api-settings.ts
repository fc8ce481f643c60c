import { Hono } from 'hono'
import { normaliseAddress } from '../core/relay/address.js'
import { blockEntity, blockedList, type ListEdit } from '../core/blocklist.js'
import type { Core } from '../core/context.js'
import { quotaOf } from '../core/quotas.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { answer } from './render.js'
import { type Json, optBool, optObject, optStrArray, readJson } from './validate.js'

/** GetBlockedList, BlockEntity and the user's own quota usage */
export function settingsRoutes(core: Core): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  const auth = sessionAuth(core)

  api.get('/blocklist', auth, async (c) => answer(c, 200, { ...(await blockedList(core, c.get('session').userId)) }))

  api.post('/blocklist', auth, async (c) => {
    const o = await readJson(c)
    const edit = { block: listEdit(o, 'block', core.config.domain), grant: listEdit(o, 'grant', core.config.domain) }
    return answer(c, 200, { ...(await blockEntity(core, c.get('session').userId, edit)) })
  })

  api.get('/quota', auth, async (c) => answer(c, 200, { ...(await quotaOf(core, c.get('session').userId)) }))

  return api
}

function listEdit(o: Json, key: 'block' | 'grant', domain: string | undefined): ListEdit | undefined {
  const e = optObject(o, key)
  if (!e) return undefined
  const ids = (field: 'add' | 'remove') =>
    optStrArray(e, field, { max: 1000, itemMax: 320 })?.map((u) => normaliseAddress(u, `"${key}.${field}" entry`, domain))
  return { inUse: optBool(e, 'inUse'), add: ids('add'), remove: ids('remove') }
}
