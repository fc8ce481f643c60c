import { readEnvelope, writeEnvelope } from '../../src/http/wv-csp/envelope.js'
import { decodeWbxml } from '../../src/http/wv-csp/wbxml/decode.js'
import { encodeWbxml } from '../../src/http/wv-csp/wbxml/encode.js'
import { resultEl } from '../../src/http/wv-csp/results.js'
import { parseXml } from '../../src/http/wv-csp/xml/parse.js'
import { serialize } from '../../src/http/wv-csp/xml/serialize.js'
import { e, type El } from '../../src/http/wv-csp/xml/tree.js'
import { bare, WvClient } from '../wv.js'
import { timedBurst } from './burst.js'
import { doorCost } from './door-cost.js'
import { type BenchClient, percentile, pool } from './client.js'
import { type Figures, type Options, register, verifyBurst, withServer } from './scenarios.js'
import { body, userName } from './seed.js'
import { BenchServer, removeDir } from './server.js'

export type Encoding = 'xml' | 'wbxml'
/** one WV-CSP exchange in `enc` (WBXML is encoded from the same XML, its answer decoded back); the answer as XML text */
async function wv(enc: Encoding, c: BenchClient, xml: string): Promise<{ status: number; body: string }> {
  if (enc === 'xml') {
    const a = await c.post('/imps', 'application/vnd.wv.csp.xml', xml)
    return { status: a.status, body: String(a.body) }
  }
  const a = await c.post('/imps', 'application/vnd.wv.csp.wbxml', encodeWbxml(parseXml(xml), '1.2'))
  return { status: a.status, body: a.raw?.length ? serialize(bare(decodeWbxml(a.raw).root)) : '' }
}
/** builds the XML bodies (a WvClient only writes envelopes here; the bench's own connections carry them) */
const writer = new WvClient('http://unused/imps', '1.2')

function inSession(sessionId: string, tid: string, primitive: string): string {
  writer.sessionId = sessionId
  return writer.envelope([['Request', tid, primitive]])
}

async function wvLogin(enc: Encoding, c: BenchClient, method: 'P' | 'N' = 'P'): Promise<string> {
  writer.sessionId = undefined
  const a = await wv(enc, c, writer.envelope([['Request', '1', `<Login-Request><UserID>wv:${c.userId}</UserID><ClientID><URL>WV:bench-${c.userId}</URL></ClientID><Password>${c.password}</Password><SessionCookie>bench</SessionCookie></Login-Request>`]]))
  const id = /<SessionID>([^<]+)</.exec(String(a.body))?.[1]
  if (!id) throw new Error(`B5 login of ${c.userId}: ${String(a.body).slice(0, 300)}`)
  if (method === 'N') await wv(enc, c, inSession(id, '2', '<SetDeliveryMethod-Request><DeliveryMethod>N</DeliveryMethod></SetDeliveryMethod-Request>'))
  return id
}

const MARKERS = { tid: '@@TID@@', to: '@@TO@@', body: '@@BODY@@'.padEnd(150, '#') }
type Slot = keyof typeof MARKERS

/**
 * One sender's WBXML SendMessage-Requests, spliced from one encoded template (inline strings end at a NUL, so a
 * value of another length fits): the figure must be the server's, and re-encoding 5,000 requests from XML text
 * would make this load generator, on the same two cores, the bottleneck. Bodies keep the template's 150 bytes.
 */
class WbxmlSends {
  readonly #pieces: Buffer[] = []
  readonly #slots: Slot[] = []

  constructor(sid: string) {
    writer.sessionId = sid
    let rest = Buffer.from(encodeWbxml(parseXml(writer.envelope([['Request', MARKERS.tid, writer.sendXml([`wv:${MARKERS.to}`], MARKERS.body)]])), '1.2'))
    for (;;) {
      const found = (Object.keys(MARKERS) as Slot[]).map((slot) => [slot, rest.indexOf(MARKERS[slot])] as const).filter(([, at]) => at >= 0).sort((x, y) => x[1] - y[1])[0]
      if (!found) break
      this.#pieces.push(rest.subarray(0, found[1]))
      this.#slots.push(found[0])
      rest = rest.subarray(found[1] + MARKERS[found[0]].length)
    }
    this.#pieces.push(rest)
  }

  request(values: Record<Slot, string>): Buffer {
    const parts: Buffer[] = [this.#pieces[0]]
    this.#slots.forEach((slot, i) => parts.push(Buffer.from(values[slot]), this.#pieces[i + 1]))
    return Buffer.concat(parts)
  }
}

/** the codes of every Code element in an answer, in document order (for WBXML, read from the decoded tree) */
function codesOf(el: El, out: string[] = []): string[] {
  if (el.name === 'Code') out.push(el.text)
  for (const c of el.children) codesOf(c, out)
  return out
}

/** B1's burst over WV-CSP: each sender's SendMessage-Requests on its keep-alive connection; every answer 201 + 202 */
function burst(enc: Encoding, server: BenchServer, senders: Array<{ c: BenchClient; sid: string }>, recipients: string[], messages: number, tag: string) {
  const templates = new Map(enc === 'wbxml' ? senders.map(({ sid }) => [sid, new WbxmlSends(sid)] as const) : [])
  return timedBurst(server, senders, messages, async ({ c, sid }, i) => {
    const to = recipients[i % recipients.length]
    if (enc === 'wbxml') {
      const a = await c.post('/imps', 'application/vnd.wv.csp.wbxml', templates.get(sid)!.request({ tid: String(i), to, body: body(`${tag}-${i}`) }))
      const codes = a.status === 200 && a.raw?.length ? codesOf(decodeWbxml(a.raw).root) : []
      return codes[0] === '201' && codes.includes('202') ? undefined : `HTTP ${a.status}, codes ${codes.join(' ')}`
    }
    const a = await wv(enc, c, inSession(sid, String(i), writer.sendXml([`wv:${to}`], body(`${tag}-${i}`))))
    const text = String(a.body)
    const ok = a.status === 200 && text.includes('<Result><Code>201</Code>') && text.includes('<DetailedResult><Code>202</Code>')
    return ok ? undefined : text
  })
}

/** a polling phone: alice sends, bob's next Polling-Request finds the NewMessage (timed), bob acknowledges it */
async function polls(enc: Encoding, alice: BenchClient, aliceSid: string, bob: BenchClient, bobSid: string, n: number) {
  const times: number[] = []
  let failures = 0
  for (let i = 0; i < n; i++) {
    await wv(enc, alice, inSession(aliceSid, `p${i}`, writer.sendXml(['wv:bob'], body(`b5p-${i}`))))
    const t0 = performance.now()
    const a = await wv(enc, bob, inSession(bobSid, '', '<Polling-Request/>'))
    times.push(performance.now() - t0)
    const text = String(a.body)
    const id = /<NewMessage><MessageInfo><MessageID>([^<]+)</.exec(text)?.[1]
    const tid = /<TransactionMode>Request<\/TransactionMode><TransactionID>([^<]+)</.exec(text)?.[1]
    if (!id || !tid) {
      failures++
      continue
    }
    writer.sessionId = bobSid
    await wv(enc, bob, writer.envelope([['Response', tid, `<MessageDelivered><MessageID>${id}</MessageID></MessageDelivered>`]]))
  }
  const sorted = times.sort((a, b) => a - b)
  return { pollP50Ms: percentile(sorted, 0.5), pollP99Ms: percentile(sorted, 0.99), pollFailures: failures }
}

/** the binding's own cost per message, in this process: parse a SendMessage-Request, write its answer */
function xmlCost(n = 20_000): number {
  writer.sessionId = 'Q44Gx_PAD2gUNy6UXVHhw'
  const request = writer.envelope([['Request', '42', writer.sendXml(['wv:rcpt-0001'], body('xml-cost'))]])
  const answer = (msg: ReturnType<typeof readEnvelope>) => writeEnvelope(msg.version, msg.session, [{
    mode: 'Response', tid: msg.transactions[0].tid,
    primitive: e('SendMessage-Response', [resultEl({ code: 201, text: 'Partially successful', details: [{ code: 202, text: 'IM accepted for offline user', users: ['wv:rcpt-0001'] }] }), e('MessageID', 'V1StGXR8_Z5jdHi6B-myT')]),
  }], false)
  for (let i = 0; i < 2000; i++) serialize(answer(readEnvelope(parseXml(request))))
  const t0 = process.cpuUsage()
  for (let i = 0; i < n; i++) serialize(answer(readEnvelope(parseXml(request))))
  const used = process.cpuUsage(t0)
  return (used.user + used.system) / n
}

/** B5: B1's shape over WV-CSP at POST /imps (XML, or WBXML as B5W), a poll that finds a message, and the XML cost per message */
export async function b5(opts: Options, run: number, enc: Encoding = 'xml'): Promise<Figures> {
  const { messages, senders: nSenders, recipients: nRecipients } = opts.sizes
  const dir = BenchServer.freshDataDir()
  const tag = `b5${enc === 'wbxml' ? 'w' : ''}r${run}`
  const recipients = Array.from({ length: nRecipients }, (_, i) => userName('rcpt', i))
  try {
    let figures!: Figures
    await withServer(opts, dir, {}, async (s) => {
      const clients = await register(s, Array.from({ length: nSenders }, (_, i) => userName('sndr', i)))
      await register(s, recipients)
      const senders: Array<{ c: BenchClient; sid: string }> = []
      await pool(clients, 8, async (c) => void senders.push({ c, sid: await wvLogin(enc, c) }))
      const cold = await burst(enc, s, senders, recipients, messages, `${tag}c`)
      const warm = await burst(enc, s, senders, recipients, messages, `${tag}w`)
      const [alice, bob] = await register(s, ['alice', 'bob'])
      const p = await polls(enc, alice, await wvLogin(enc, alice), bob, await wvLogin(enc, bob), 300)
      for (const c of [...clients, alice, bob]) c.close()
      figures = {
        msgsPerSec: warm.msgsPerSec, p50Ms: warm.p50Ms, p99Ms: warm.p99Ms, serverUsPerMsg: warm.serverUsPerMsg,
        coldMsgsPerSec: cold.msgsPerSec, coldP99Ms: cold.p99Ms, failures: cold.failures + warm.failures + p.pollFailures,
        pollP50Ms: p.pollP50Ms, pollP99Ms: p.pollP99Ms, xmlUsPerMsg: xmlCost(),
        ...(enc === 'wbxml' ? await doorCost() : {}),
      }
    })
    figures.storedWrong = verifyBurst(dir, recipients, messages, `${tag}c`) + verifyBurst(dir, recipients, messages, `${tag}w`)
    return figures
  } finally {
    if (!opts.keep) removeDir(dir)
  }
}
