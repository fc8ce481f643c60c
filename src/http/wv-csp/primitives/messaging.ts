import { setCapabilities } from '../../../core/login.js'
import { checkMessageId, getMessage, listMessages, messageDelivered, rejectMessage, sendMessage } from '../../../core/messaging.js'
import { badParameter } from '../../../core/refusals.js'
import type { Ctx } from '../context.js'
import { messageInfo } from '../render.js'
import { fromCore, NO_GROUPS, ok, resultEl, statusEl, type WvDetail, type WvResult, wvResult } from '../results.js'
import { boolAt, child, children, e, type El, textAt } from '../xml/tree.js'
import { intAt } from './session.js'
import { listMembers } from './lists.js'

const MAX_RECIPIENTS = 50
const messageId = (raw: string | undefined): string => checkMessageId((raw ?? '').trim())

/**
 * SendMessage-Request: recipients are users and the sender's own contact lists (their members); the core judges
 * each one (`wv:bob@other.org` goes to a relay peer). Malformed ids are 531, groups 800 (none exist yet), as DetailedResults.
 */
export async function sendMessageRequest(ctx: Ctx, p: El): Promise<El> {
  const { core, ids, wv } = ctx
  const info = child(p, 'MessageInfo')
  const recipient = child(info, 'Recipient')
  const to = new Set<string>()
  const extra: WvDetail[] = []
  const unknown: string[] = []
  for (const u of children(recipient, 'User')) {
    const raw = textAt(u, 'UserID') ?? ''
    const id = ids.address(raw)
    if (id) to.add(id)
    else unknown.push(raw.slice(0, 100))
  }
  for (const l of children(recipient, 'ContactList')) for (const id of await listMembers(ctx, l.text)) to.add(id)
  if (unknown.length) extra.push({ code: 531, text: 'Unknown user', users: unknown })
  if (children(recipient, 'Group').length) extra.push({ code: 800, text: NO_GROUPS, users: [] })
  if (to.size > MAX_RECIPIENTS) throw badParameter(`a message goes to at most ${MAX_RECIPIENTS} recipients`)
  let body = child(p, 'ContentData')?.text ?? ''
  if (textAt(info, 'ContentEncoding')?.toUpperCase() === 'BASE64') body = Buffer.from(body, 'base64').toString('utf8')
  if (!to.size) return e('SendMessage-Response', [resultEl(merge([], extra))])
  const sent = await sendMessage(core, wv.session, {
    to: [...to], body, contentType: textAt(info, 'ContentType') || 'text/plain',
    deliveryReport: boolAt(p, 'DeliveryReport') ?? false, validity: intAt(info, 'Validity') || undefined,
  })
  const r = fromCore(sent.result, (u) => ids.writeUser(u))
  const delivered = [...to].filter((u) => !sent.result.details?.some((d) => d.users?.includes(u)))
  return e('SendMessage-Response', [resultEl(merge(delivered, [...(r.details ?? []), ...extra])), sent.messageId && e('MessageID', sent.messageId)])
}

/** PROTOCOL.md 3's aggregate over the core's outcome and this door's own: 200, 201, a shared code, or 900 */
function merge(delivered: string[], details: WvDetail[]): WvResult {
  const failed = details.filter((d) => d.code !== 202)
  const anyOk = delivered.length > 0 || details.some((d) => d.code === 202)
  if (!details.length) return ok
  if (anyOk) return { ...wvResult(201), details }
  const codes = new Set(failed.map((d) => d.code))
  return { ...(codes.size === 1 ? wvResult(failed[0].code) : wvResult(900)), details }
}

/** GetMessageList-Request: what waits, whatever the delivery method (a group's: 800, there are none) */
export async function getMessageList(ctx: Ctx, p: El): Promise<El> {
  if (child(p, 'GroupID')) return statusEl(wvResult(800, NO_GROUPS))
  const limit = Math.min(1000, Math.max(1, intAt(p, 'MessageCount') || 100))
  const { messages } = await listMessages(ctx.core, ctx.wv.session.userId, limit)
  const now = ctx.core.clock.now()
  return e('GetMessageList-Response', messages.map((m) => messageInfo(ctx.ids, m, now)))
}

/** GetMessage-Request (after a MessageNotification): the message with its body */
export async function getMessageRequest(ctx: Ctx, p: El): Promise<El> {
  const m = await getMessage(ctx.core, ctx.wv.session.userId, messageId(textAt(p, 'MessageID')))
  return e('GetMessage-Response', [messageInfo(ctx.ids, m, ctx.core.clock.now()), e('ContentData', m.body)])
}

/** MessageDelivered sent in Request mode (most clients send it as a Response to the NewMessage) */
export async function messageDeliveredRequest(ctx: Ctx, p: El): Promise<El> {
  for (const id of children(p, 'MessageID')) await messageDelivered(ctx.core, ctx.wv.session.userId, messageId(id.text))
  return statusEl(ok)
}

export async function rejectMessageRequest(ctx: Ctx, p: El): Promise<El> {
  for (const id of children(p, 'MessageID')) await rejectMessage(ctx.core, ctx.wv.session.userId, messageId(id.text))
  return statusEl(ok)
}

/** SetDeliveryMethod-Request(DeliveryMethod P|N, AcceptedContentLength?): what waits is offered again the new way */
export async function setDeliveryMethod(ctx: Ctx, p: El): Promise<El> {
  if (child(p, 'GroupID')) return statusEl(wvResult(800, NO_GROUPS))
  const method = textAt(p, 'DeliveryMethod')?.toUpperCase()
  if (method !== 'P' && method !== 'N') throw badParameter('DeliveryMethod must be P or N')
  const { wv } = ctx
  const before = wv.session.capabilities.deliveryMethod
  setCapabilities(ctx.core, wv.session, { deliveryMethod: method === 'N' ? 'notify' : 'push', acceptedContentLength: intAt(p, 'AcceptedContentLength') || undefined })
  if (wv.session.capabilities.deliveryMethod !== before) await ctx.sessions.reattach(wv)
  return statusEl(ok)
}
