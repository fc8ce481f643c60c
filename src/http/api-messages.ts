import { Hono } from 'hono'
import type { Core } from '../core/context.js'
import { normaliseAddress } from '../core/relay/address.js'
import { checkMessageId, getMessage, listMessages, MESSAGE_ID, messageDelivered, rejectMessage, sendMessage } from '../core/messaging.js'
import { badParameter, noSuchReport } from '../core/refusals.js'
import { acknowledgeReport, listReports } from '../core/reports.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { answer, deliveryReport, messageInfo, messageWithBody } from './render.js'
import { optBool, optInt, optStr, optStrArray, readJson, str } from './validate.js'

const MAX_RECIPIENTS = 50

/** SendMessage, GetMessageList, GetMessage, MessageDelivered, RejectMessage, delivery reports */
export function messageRoutes(core: Core): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  const auth = sessionAuth(core)

  api.post('/messages', auth, async (c) => {
    const o = await readJson(c)
    const rawTo = optStrArray(o, 'to', { min: 1, max: MAX_RECIPIENTS, itemMax: 320 })
    if (!rawTo) throw badParameter(`"to" is required: a list of 1 to ${MAX_RECIPIENTS} user ids`)
    const to = rawTo.map((u) => normaliseAddress(u, '"to" entry', core.config.domain))
    if (new Set(to).size !== to.length) throw badParameter('"to" names the same user more than once')
    const body = str(o, 'body', { max: Number.MAX_SAFE_INTEGER })
    const sent = await sendMessage(core, c.get('session'), {
      to,
      body,
      contentType: optStr(o, 'contentType', { max: 255 }) ?? 'text/plain',
      deliveryReport: optBool(o, 'deliveryReport') ?? false,
      validity: optInt(o, 'validity', 1),
    })
    return answer(c, sent.result, sent.messageId ? { messageId: sent.messageId } : {})
  })

  api.get('/messages', auth, async (c) => {
    const raw = c.req.query('limit')
    let limit = 100
    if (raw !== undefined) {
      if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
        throw badParameter('"limit" must be a whole number within 1–1000')
      }
      limit = Number(raw)
    }
    const { messages, total } = await listMessages(core, c.get('session').userId, limit)
    return answer(c, 200, { messages: messages.map(messageInfo), total })
  })

  api.get('/messages/:id', auth, async (c) => {
    const m = await getMessage(core, c.get('session').userId, checkMessageId(c.req.param('id')))
    return answer(c, 200, { message: messageWithBody(m) })
  })

  api.post('/messages/:id/delivered', auth, async (c) => {
    await messageDelivered(core, c.get('session').userId, checkMessageId(c.req.param('id')))
    return answer(c, 200)
  })

  api.post('/messages/:id/reject', auth, async (c) => {
    await rejectMessage(core, c.get('session').userId, checkMessageId(c.req.param('id')))
    return answer(c, 200)
  })

  api.get('/reports', auth, async (c) => {
    const reports = await listReports(core, c.get('session').userId)
    return answer(c, 200, { reports: reports.map(deliveryReport) })
  })

  api.post('/reports/:id/ack', auth, async (c) => {
    const id = c.req.param('id')
    if (!MESSAGE_ID.test(id)) throw noSuchReport(id)
    await acknowledgeReport(core, c.get('session').userId, id)
    return answer(c, 200)
  })

  return api
}
