import { Hono, type Context } from 'hono'
import type { Core } from '../../core/context.js'
import { clientAddress, requestSizeLimit } from '../middleware.js'
import { EnvelopeRefused, type InTransaction, readEnvelope, type SessionDescriptor, writeEnvelope } from './envelope.js'
import { exchange } from './exchange.js'
import { Ids } from './ids.js'
import { statusEl, wvResult } from './results.js'
import { WvSessions } from './sessions.js'
import { contentType, type Version } from './version.js'
import { parseXml, XmlRefused } from './xml/parse.js'
import { serialize } from './xml/serialize.js'

/**
 * POST /imps: the WV-CSP XML binding (PROTOCOL.md 9). One WV-CSP-Message per request and per answer; every
 * request that parses is answered with HTTP 200 and the outcome in the WV-CSP Result. A body that does not parse
 * gets HTTP 400 with a Status 503 answer (addressed as far as it could be read); WBXML is not served yet (415).
 */
export function wvCspRoutes(core: Core): Hono {
  const app = new Hono()
  const sessions = new WvSessions(core)
  const ids = new Ids(core.config.domain)
  // the JSON door's limit: room for the largest body even if every character were escaped
  const maxRequestBytes = core.config.maxBodyBytes * 6 + 64 * 1024

  app.get('/imps', (c) => c.text('Pigeonhole WV-CSP endpoint: point an IMPS client (phone or PC) at this URL; it speaks XML over POST.\n'))

  app.post('/imps', requestSizeLimit(maxRequestBytes, (c) => {
    c.header('Connection', 'close')
    return refusal(c, 400, '1.2', { type: 'Inband' }, '', `Bad request: the request exceeds ${maxRequestBytes} bytes`)
  }), async (c) => {
    if (/wbxml/i.test(c.req.header('content-type') ?? '')) {
      return c.text('WBXML is not served yet: set the client to XML (application/vnd.wv.csp.xml)\n', 415)
    }
    let msg
    try {
      msg = readEnvelope(parseXml(await c.req.text()))
    } catch (err) {
      if (err instanceof XmlRefused) return refusal(c, 400, '1.2', { type: 'Inband' }, '', `Bad request: the body is not WV-CSP XML (${err.message})`)
      if (err instanceof EnvelopeRefused) {
        const p = err.partial
        return refusal(c, 400, p.version ?? '1.2', p.session ?? { type: 'Inband' }, firstTid(p.transactions), `Bad request: ${err.message}`)
      }
      throw err
    }
    const { transactions, poll } = await exchange(core, sessions, ids, () => clientAddress(c), msg)
    // nothing to say (a poll with nothing waiting, only acknowledgements): an empty answer (AOSP HttpDataChannel)
    if (!transactions.length) return c.body('', 200, { 'Content-Length': '0' })
    return xml(c, 200, msg.version, serialize(writeEnvelope(msg.version, msg.session, transactions, poll)))
  })
  return app
}

function firstTid(ts: InTransaction[] | undefined): string {
  return ts?.[0]?.tid ?? ''
}

/** with a Content-Length, never chunked: old phones and WAP gateways read that best */
function xml(c: Context, status: 200 | 400, version: Version, body: string): Response {
  return c.body(body, status, { 'Content-Type': contentType(version), 'Content-Length': String(Buffer.byteLength(body)) })
}

/** an answer to a body that could not be read as a WV-CSP request: HTTP 400, Status 503 with the reason */
function refusal(c: Context, status: 400, version: Version, session: SessionDescriptor, tid: string, why: string): Response {
  const answer = writeEnvelope(version, session, [{ mode: 'Response', tid, primitive: statusEl(wvResult(503, why)) }], false)
  return xml(c, status, version, serialize(answer))
}
