import { Hono } from 'hono'
import { normaliseUserId } from '../core/accounts.js'
import { createList, deleteList, getLists, manageList } from '../core/contacts.js'
import type { Core } from '../core/context.js'
import { AVAILABILITIES, presenceOf, presenceOfMany, subscribePresence, unsubscribePresence, updatePresence } from '../core/presence.js'
import { badParameter } from '../core/refusals.js'
import type { Contact } from '../core/types.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { answer, contactList, presenceView } from './render.js'
import { type Json, optBool, optOneOf, optStr, optStrArray, readJson, str } from './validate.js'

const MAX_IDS = 500

/** contact lists (GetList, CreateList, DeleteList, ListManage) and presence (Get, Update, Subscribe, Unsubscribe) */
export function presenceRoutes(core: Core): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  const auth = sessionAuth(core)
  const me = (c: { get(k: 'session'): { userId: string } }) => c.get('session').userId

  api.get('/contacts', auth, async (c) => answer(c, 200, { lists: (await getLists(core, me(c))).map(contactList) }))

  api.post('/contacts/lists', auth, async (c) => {
    const o = await readJson(c)
    const list = await createList(core, me(c), {
      name: str(o, 'name', { max: 64 }), displayName: optStr(o, 'displayName', { max: 64 }),
      isDefault: optBool(o, 'default'), contacts: contacts(o, 'contacts'),
    })
    return answer(c, 200, { list: contactList(list) })
  })

  api.post('/contacts/lists/:name', auth, async (c) => {
    const o = await readJson(c)
    const list = await manageList(core, me(c), c.req.param('name'), {
      add: contacts(o, 'add'), remove: ids(o, 'remove'), displayName: optStr(o, 'displayName', { max: 64 }), isDefault: optBool(o, 'default'),
    })
    return answer(c, 200, { list: contactList(list) })
  })

  api.delete('/contacts/lists/:name', auth, async (c) => {
    await deleteList(core, me(c), c.req.param('name'))
    return answer(c, 200)
  })

  api.get('/presence', auth, async (c) => {
    const who = { users: queryIds(c.req.query('users')), lists: queryIds(c.req.query('lists')) }
    return answer(c, 200, { presence: (await presenceOfMany(core, me(c), who)).map(presenceView) })
  })

  api.get('/presence/:userId', auth, async (c) => {
    const view = await presenceOf(core, me(c), normaliseUserId(c.req.param('userId')))
    return answer(c, 200, presenceView(view))
  })

  api.post('/presence', auth, async (c) => {
    const o = await readJson(c)
    const published = updatePresence(core, me(c), {
      availability: optOneOf(o, 'availability', AVAILABILITIES), statusText: optStr(o, 'statusText', { max: 200 }),
      clientType: optStr(o, 'clientType', { max: 64 }),
    })
    return answer(c, 200, { published })
  })

  api.post('/presence/subscribe', auth, async (c) => {
    const o = await readJson(c)
    const views = await subscribePresence(core, c.get('session'), { users: ids(o, 'users'), lists: optStrArray(o, 'lists', { max: 20, itemMax: 64 }) })
    return answer(c, 200, { presence: views.map(presenceView) })
  })

  api.post('/presence/unsubscribe', auth, async (c) => {
    const o = await readJson(c)
    unsubscribePresence(core, c.get('session'), { users: ids(o, 'users'), lists: optStrArray(o, 'lists', { max: 20, itemMax: 64 }) })
    return answer(c, 200)
  })

  return api
}

function ids(o: Json, key: string): string[] | undefined {
  return optStrArray(o, key, { max: MAX_IDS, itemMax: 64 })?.map((u) => normaliseUserId(u, `"${key}" entry`))
}

function queryIds(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw === '') return undefined
  const list = raw.split(',')
  if (list.length > MAX_IDS) throw badParameter(`name at most ${MAX_IDS} users at once`)
  return list.map((u) => normaliseUserId(u.trim(), 'user'))
}

function contacts(o: Json, key: string): Contact[] | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.length > MAX_IDS) throw badParameter(`"${key}" must be a list of at most ${MAX_IDS} contacts like {"userId": "bob", "nickname": "Bob"}`)
  return v.map((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw badParameter(`every entry of "${key}" must be an object like {"userId": "bob", "nickname": "Bob"}`)
    const e = entry as Json
    return { userId: str(e, 'userId', { max: 320 }), nickname: optStr(e, 'nickname', { max: 64 }) ?? '' } // core checks the address
  })
}
