import { Hono } from 'hono'
import { normaliseUserId } from '../../core/accounts.js'
import {
  addUser, deleteUser, editAccessList, purgeMailbox, purgeMessage, QUOTA_KEYS, resetPassword, setQuotas, setUserDisabled, unlockAccount,
} from '../../core/admin.js'
import { ImpsError } from '../../core/codes.js'
import { notFound, quotaNotANumber } from '../../core/refusals.js'
import type { Core } from '../../core/context.js'
import type { ListEdit } from '../../core/blocklist.js'
import type { QuotaOverrides } from '../../core/types.js'
import { type AdminContext, type AdminEnv, done, field, userUrl } from './env.js'

/**
 * The dashboard's forms: each POST calls one core function, then redirects (303) to the page with a
 * notice. An outcome the core refuses (bad value, unknown user or message) becomes the notice.
 */
export function actionRoutes(core: Core): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()

  /** runs an action; a refusal from the core becomes an error notice on `back` */
  const act = async (c: AdminContext, back: string, fn: () => Promise<string>) => {
    try {
      return done(c, back, 'ok', await fn())
    } catch (err) {
      if (err instanceof ImpsError) return done(c, back, 'error', err.message)
      throw err
    }
  }
  const userId = (c: AdminContext) => c.req.param('id')!.toLowerCase()

  app.post('/users', async (c) => {
    const raw = await field(c, 'userId')
    const password = await field(c, 'password')
    let created: { id: string; password: string } | undefined
    const res = await act(c, '/admin/users', async () => {
      created = await addUser(core, raw, password || undefined)
      return password ? `Created ${created.id}.` : `Created ${created.id} with the password ${created.password} (shown only now).`
    })
    return created ? c.redirect(userUrl(created.id), 303) : res
  })

  app.post('/relay/:domain/retry', async (c) => {
    const domain = c.req.param('domain').toLowerCase()
    if (!core.relay?.isPeer(domain)) return done(c, '/admin', 'error', `${domain} is not a relay peer of this server.`)
    await core.relay.retryNow(domain)
    const peer = core.relay.status(domain)!
    if (peer.failedHere) return done(c, '/admin', 'error', `Nothing could be handed to ${domain}: this server's store failed: ${peer.lastError}`)
    return peer.reachable
      ? done(c, '/admin', 'ok', `${domain} took everything that waited for it.`)
      : done(c, '/admin', 'error', `${domain} is still unreachable: ${peer.lastError}`)
  })

  app.post('/users/:id/purge', async (c) => {
    const id = userId(c)
    if ((await field(c, 'confirm')) !== 'yes') return done(c, userUrl(id), 'error', 'Tick “sure” to purge every message.')
    return act(c, userUrl(id), async () => {
      const n = await purgeMailbox(core, id)
      return `Purged ${n} message${n === 1 ? '' : 's'}; senders who asked were told 538 “Message has been rejected”.`
    })
  })

  app.post('/users/:id/messages/:mid/purge', async (c) => {
    const id = userId(c)
    return act(c, userUrl(id), async () => {
      await purgeMessage(core, id, c.req.param('mid'))
      return 'Purged one message; a sender who asked was told 538 “Message has been rejected”.'
    })
  })

  app.post('/users/:id/lists/:which', async (c) => {
    const id = userId(c)
    const which = c.req.param('which')
    return act(c, userUrl(id), async () => {
      if (which !== 'block' && which !== 'grant') throw notFound('there is no such list')
      const edit: ListEdit = {}
      const add = await field(c, 'add')
      const remove = await field(c, 'remove')
      const inUse = await field(c, 'inUse')
      if (add) edit.add = [normaliseUserId(add, 'the user id to add')]
      if (remove) edit.remove = [remove.toLowerCase()]
      if (inUse === 'on' || inUse === 'off') edit.inUse = inUse === 'on'
      if (await field(c, 'withUse')) edit.inUse = (await field(c, 'use')) === 'on'
      const updated = await editAccessList(core, id, which, edit)
      const list = updated[which]
      const what = add ? `Added ${edit.add![0]} to` : remove ? `Removed ${remove} from` : 'Updated'
      return `${what} the ${which} list of ${id}; it is ${list.inUse ? 'in use' : 'not in use'}.`
    })
  })

  app.post('/users/:id/quotas', async (c) => {
    const id = userId(c)
    return act(c, userUrl(id), async () => {
      const quotas: QuotaOverrides = {}
      for (const key of QUOTA_KEYS) {
        const raw = await field(c, key)
        if (raw === '') continue
        if (!/^\d{1,15}$/.test(raw)) throw quotaNotANumber(key, raw)
        quotas[key] = Number(raw)
      }
      await setQuotas(core, id, quotas)
      return `Saved the quotas of ${id}.`
    })
  })

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/users/:id/${path}`, async (c) => {
      const id = userId(c)
      return act(c, userUrl(id), async () => {
        await setUserDisabled(core, id, disabled)
        return disabled ? `Disabled ${id}; its sessions were ended.` : `Enabled ${id}.`
      })
    })
  }

  app.post('/users/:id/unlock', async (c) => {
    const id = userId(c)
    return act(c, userUrl(id), async () => {
      await unlockAccount(core, id)
      return `Unlocked ${id}: every address may try to log in again.`
    })
  })

  app.post('/users/:id/delete', async (c) => {
    const id = userId(c)
    if ((await field(c, 'confirm')) !== 'yes') return done(c, userUrl(id), 'error', 'Tick “sure” to delete the account.')
    try {
      const { purged } = await deleteUser(core, id)
      return done(c, '/admin/users', 'ok', `Deleted ${id}; ${purged} waiting message${purged === 1 ? '' : 's'} purged.`)
    } catch (err) {
      if (err instanceof ImpsError) return done(c, userUrl(id), 'error', err.message)
      throw err
    }
  })

  app.post('/users/:id/password', async (c) => {
    const id = userId(c)
    const given = await field(c, 'password')
    return act(c, userUrl(id), async () => {
      const pw = await resetPassword(core, id, given || undefined)
      return given ? `Set a new password for ${id}.` : `New password for ${id}: ${pw} (shown only now).`
    })
  })

  return app
}
