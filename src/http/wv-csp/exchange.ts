import { ImpsError } from '../../core/codes.js'
import type { Core } from '../../core/context.js'
import { messageDelivered } from '../../core/messaging.js'
import { acknowledgeReport } from '../../core/reports.js'
import type { Ctx } from './context.js'
import type { InMessage, OutTransaction } from './envelope.js'
import { type Ids } from './ids.js'
import { HANDLERS, UNIMPLEMENTED } from './primitives/index.js'
import { login } from './primitives/session.js'
import { deliveryPrimitive } from './render.js'
import { fromError, statusEl, wvResult } from './results.js'
import type { WvSession, WvSessions } from './sessions.js'
import { NAMESPACES } from './version.js'
import type { El } from './xml/tree.js'

export interface Exchange {
  transactions: OutTransaction[]
  poll: boolean
}

/**
 * One HTTP request's worth of WV-CSP: every transaction in order (Request mode → a Response with its
 * TransactionID; Response mode → the client acknowledging something of ours), then, up to the client's
 * MultiTrans (at least one for a Polling-Request), what waits for the session, each in a fresh server TID.
 */
export async function exchange(core: Core, sessions: WvSessions, ids: Ids, address: () => string, msg: InMessage, host: () => string | undefined = () => undefined): Promise<Exchange> {
  const out: OutTransaction[] = []
  const base = { core, version: msg.version, ns: NAMESPACES[msg.version], ids, sessions, address, host }
  let ctx: Ctx | undefined
  let refused: ImpsError | undefined
  let polled = false
  for (const t of msg.transactions) {
    const name = t.primitive?.name ?? ''
    if (name === 'Login-Request' && t.mode === 'Request') {
      out.push({ mode: 'Response', tid: t.tid, primitive: await login(base, t.primitive!) })
      continue
    }
    // what is not served is 501 whether or not a session came with it (GetSPInfo is sent Outband)
    if (t.mode === 'Request' && name !== 'Polling-Request' && !HANDLERS[name]) {
      out.push({ mode: 'Response', tid: t.tid, primitive: notImplemented(t.primitive) })
      continue
    }
    if (!ctx && !refused) {
      try {
        ctx = { ...base, wv: await sessions.authenticate(msg.session.id, msg.version) }
      } catch (err) {
        if (!(err instanceof ImpsError)) throw err
        refused = err
      }
    }
    if (!ctx || ctx.ended) {
      const why = refused ?? new ImpsError(604)
      if (t.mode === 'Request') out.push({ mode: 'Response', tid: t.tid, primitive: statusEl(fromError(why, ids.writeUser.bind(ids))) })
      continue
    }
    if (t.mode === 'Response') {
      await acknowledged(ctx, t.tid, t.primitive)
      continue
    }
    if (name === 'Polling-Request') {
      polled = true
      continue
    }
    out.push({ mode: 'Response', tid: t.tid, primitive: await answer(ctx, name, t.primitive) })
  }
  if (!ctx || ctx.ended) return { transactions: out, poll: false }
  const room = Math.max(ctx.wv.multiTrans - out.length, polled ? 1 : 0)
  const now = core.clock.now()
  for (const d of await sessions.take(ctx.wv, room)) {
    const tid = sessions.freshTid()
    if (d.type === 'DeliveryReport') rememberReport(ctx.wv, tid, d.report.id)
    out.push({ mode: 'Request', tid, primitive: deliveryPrimitive(ids, base.ns, d, now) })
  }
  return { transactions: out, poll: sessions.waiting(ctx.wv) }
}

function notImplemented(primitive: El | undefined): El {
  const name = primitive?.name
  const what = !name ? 'an empty TransactionContent' : UNIMPLEMENTED.has(name) ? `${name} (groups and invitations come later)` : name.slice(0, 80)
  return statusEl(wvResult(501, `Not implemented: this server does not serve ${what}`))
}

async function answer(ctx: Ctx, name: string, primitive: El | undefined): Promise<El> {
  try {
    return await HANDLERS[name](ctx, primitive!)
  } catch (err) {
    if (err instanceof ImpsError) return statusEl(fromError(err, ctx.ids.writeUser.bind(ctx.ids)))
    throw err
  }
}

/** the client's Response-mode transactions: MessageDelivered confirms a message, Status 200 acknowledges a report */
async function acknowledged(ctx: Ctx, tid: string, primitive: El | undefined): Promise<void> {
  const { core, wv } = ctx
  try {
    if (primitive?.name === 'MessageDelivered') {
      for (const id of primitive.children.filter((c) => c.name === 'MessageID')) await messageDelivered(core, wv.session.userId, id.text.trim())
    } else if (primitive?.name === 'Status') {
      const report = wv.reportTids.get(tid)
      wv.reportTids.delete(tid)
      const code = primitive.children[0]?.children.find((c) => c.name === 'Code')?.text.trim()
      if (report && code === '200') await acknowledgeReport(core, wv.session.userId, report)
    }
  } catch (err) {
    // a repeat or a late acknowledgement: the client is told nothing (a response is never answered)
    if (!(err instanceof ImpsError)) throw err
  }
}

function rememberReport(wv: WvSession, tid: string, reportId: string): void {
  wv.reportTids.set(tid, reportId)
  if (wv.reportTids.size > 1000) wv.reportTids.delete(wv.reportTids.keys().next().value!)
}
