import { Hono, type Context } from 'hono'
import type { Core } from '../../core/context.js'
import { clientAddress, requestSizeLimit } from '../middleware.js'
import { EnvelopeRefused, type InTransaction, readEnvelope, type SessionDescriptor, writeEnvelope } from './envelope.js'
import { exchange } from './exchange.js'
import { Ids } from './ids.js'
import { statusEl, wvResult } from './results.js'
import { wvSessionsOf } from './sessions.js'
import { contentType, type Encoding, encodingOf, NAMESPACES, type Version } from './version.js'
import { decodeWbxml, WbxmlRefused } from './wbxml/decode.js'
import { encodeWbxml } from './wbxml/encode.js'
import { parseXml, XmlRefused } from './xml/parse.js'
import { serialize } from './xml/serialize.js'
import type { El } from './xml/tree.js'

/**
 * POST /imps: the WV-CSP binding (PROTOCOL.md 9), XML or WBXML as the request's content type says; the answer
 * uses the request's encoding and version. One WV-CSP-Message per request and per answer; every request that
 * parses is answered with HTTP 200 and the outcome in the WV-CSP Result. A body that does not parse gets HTTP
 * 400 with a Status 503 answer (addressed as far as it could be read) and a log line saying why.
 */
export function wvCspRoutes(core: Core): Hono {
  const app = new Hono()
  const sessions = wvSessionsOf(core)
  const ids = new Ids(core.config.domain)
  // the JSON door's limit: room for the largest body even if every character were escaped
  const maxRequestBytes = core.config.maxBodyBytes * 6 + 64 * 1024

  app.get('/imps', (c) => c.text('Pigeonhole WV-CSP endpoint: point an IMPS client (phone or PC) at this URL; it speaks XML or WBXML over POST.\n'))

  app.post('/imps', requestSizeLimit(maxRequestBytes, (c) => {
    c.header('Connection', 'close')
    return refusal(c, encodingOf(c.req.header('content-type')), '1.2', { type: 'Inband' }, '', `Bad request: the request exceeds ${maxRequestBytes} bytes`)
  }), async (c) => {
    const encoding = encodingOf(c.req.header('content-type'))
    let msg
    let guess: Version = '1.2'
    try {
      let root: El
      if (encoding === 'wbxml') {
        const decoded = decodeWbxml(new Uint8Array(await c.req.arrayBuffer()))
        guess = decoded.version
        root = decoded.root
        // no xmlns (libwbxml drops it): the public id names the version, else 1.1, as S60 reads it
        if (!root.ns) root.ns = NAMESPACES[decoded.version].csp
      } else root = parseXml(await c.req.text())
      msg = readEnvelope(root)
    } catch (err) {
      if (err instanceof XmlRefused || err instanceof WbxmlRefused) {
        const what = encoding === 'wbxml' ? 'WV-CSP WBXML' : 'WV-CSP XML'
        core.log('wv-csp', 'refused', { encoding, address: clientAddress(c), reason: err.message })
        return refusal(c, encoding, guess, { type: 'Inband' }, '', `Bad request: the body is not ${what} (${err.message})`)
      }
      if (err instanceof EnvelopeRefused) {
        const p = err.partial
        core.log('wv-csp', 'refused', { encoding, address: clientAddress(c), reason: err.message })
        return refusal(c, encoding, p.version ?? guess, p.session ?? { type: 'Inband' }, firstTid(p.transactions), `Bad request: ${err.message}`)
      }
      throw err
    }
    const { transactions, poll } = await exchange(core, sessions, ids, () => clientAddress(c), msg, () => hostOf(c.req.header('host')))
    // nothing to say (a poll with nothing waiting, only acknowledgements): an empty answer (AOSP HttpDataChannel)
    if (!transactions.length) return c.body('', 200, { 'Content-Length': '0' })
    return send(c, 200, encoding, msg.version, writeEnvelope(msg.version, msg.session, transactions, poll))
  })
  return app
}

/** `example.org:8080` → `example.org`, `[::1]:8080` → `::1` */
function hostOf(header: string | undefined): string | undefined {
  const m = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::\d+)?$/i.exec(header ?? '')
  return m ? (m[1] ?? m[2]) : undefined
}

function firstTid(ts: InTransaction[] | undefined): string {
  return ts?.[0]?.tid ?? ''
}

/** in the request's encoding, with a Content-Length, never chunked: old phones and WAP gateways read that best */
function send(c: Context, status: 200 | 400, encoding: Encoding, version: Version, answer: El): Response {
  const body = encoding === 'wbxml' ? encodeWbxml(answer, version) : serialize(answer)
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
  return c.body(body, status, { 'Content-Type': contentType(version, encoding), 'Content-Length': String(length) })
}

/** an answer to a body that could not be read as a WV-CSP request: HTTP 400, Status 503 with the reason */
function refusal(c: Context, encoding: Encoding, version: Version, session: SessionDescriptor, tid: string, why: string): Response {
  const answer = writeEnvelope(version, session, [{ mode: 'Response', tid, primitive: statusEl(wvResult(503, why)) }], false)
  return send(c, 400, encoding, version, answer)
}
