import { blockedList, blockEntity, type ListEdit } from '../../../core/blocklist.js'
import type { AccessList } from '../../../core/types.js'
import type { Ctx } from '../context.js'
import { ok, statusEl } from '../results.js'
import { boolAt, child, children, e, type El } from '../xml/tree.js'

const listEl = (ctx: Ctx, name: string, l: AccessList) =>
  e(name, [e('InUse', l.inUse), e('EntityList', l.users.map((u) => e('UserID', ctx.ids.writeUser(u))))])

/** GetBlockedList-Request → `GetBlockedList-Response(BlockList, GrantList)`, the same lists as the JSON door's */
export async function getBlockedList(ctx: Ctx): Promise<El> {
  const lists = await blockedList(ctx.core, ctx.wv.session.userId)
  return e('GetBlockedList-Response', [listEl(ctx, 'BlockList', lists.block), listEl(ctx, 'GrantList', lists.grant)])
}

function edit(ctx: Ctx, el: El | undefined): ListEdit | undefined {
  if (!el) return undefined
  const ids = (name: string) => children(child(el, name), 'UserID').map((u) => ctx.ids.address(u.text)).filter((u) => u !== undefined)
  return { inUse: boolAt(el, 'InUse'), add: ids('AddList'), remove: ids('RemoveList') }
}

/** BlockEntity-Request (1.1: BlockUser-Request): edits the block and grant lists together */
export async function blockEntityRequest(ctx: Ctx, p: El): Promise<El> {
  await blockEntity(ctx.core, ctx.wv.session.userId, { block: edit(ctx, child(p, 'BlockList')), grant: edit(ctx, child(p, 'GrantList')) })
  return statusEl(ok)
}
