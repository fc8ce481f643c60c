import { presenceOfMany } from '../../../core/presence.js'
import type { Ctx } from '../context.js'
import { ok, resultEl, statusEl } from '../results.js'
import { children, e, type El, textAt } from '../xml/tree.js'

const BY_ID = new Set(['USER_ID', 'USER_MOBILE_NUMBER', 'USER_ALIAS', 'USER_ONLINE_STATUS'])

/**
 * Search-Request finds a user by exact id only (no listing of accounts by pattern): the answer names the user
 * when the search string is one, else no findings. Always complete, so no SearchID is kept.
 */
export async function search(ctx: Ctx, p: El): Promise<El> {
  const ids = new Set<string>()
  for (const pair of children(p, 'SearchPairList')) {
    const id = BY_ID.has(textAt(pair, 'SearchElement') ?? '') ? ctx.ids.user(textAt(pair, 'SearchString') ?? '') : undefined
    if (id) ids.add(id)
  }
  const found = ids.size ? await presenceOfMany(ctx.core, ctx.wv.session.userId, { users: [...ids] }) : []
  return e('Search-Response', [
    resultEl(ok),
    e('SearchFindings', found.length),
    e('CompletionFlag', true),
    found.length > 0 && e('SearchResult', [e('UserList', found.map((v) => e('User', [e('UserID', ctx.ids.writeUser(v.userId))])))]),
  ])
}

/**
 * Reactive authorisation and attribute lists (PresenceAuth-User, CancelAuth, Create/DeleteAttributeList,
 * StopSearch): who may see whose presence follows the contact-list rule (PROTOCOL.md 8), so there is nothing
 * to record; they are acknowledged so that a client's flow goes on.
 */
export function acknowledge(): El {
  return statusEl(ok)
}
