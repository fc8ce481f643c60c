/**
 * A tiny WV-CSP (IMPS) client, XML or WBXML (--wbxml): the tests and the bench drive the server with it, and a
 * person can run it.
 *
 *   npm run wv -- --url http://127.0.0.1:8080/imps --wbxml login alice PASSWORD
 *   npm run wv -- send bob "Are you coming tonight?" --report
 *   npm run wv -- poll
 *   npm run wv -- cir            (holds the STCP wake-up channel; prints each WVCI, then polls)
 *
 * Each exchange is printed. The session is kept in a small file between runs (--state, default in the temp dir).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { decodeWbxml } from '../src/http/wv-csp/wbxml/decode.js'
import { encodeWbxml } from '../src/http/wv-csp/wbxml/encode.js'
import { parseXml } from '../src/http/wv-csp/xml/parse.js'
import { serialize } from '../src/http/wv-csp/xml/serialize.js'
import { child, children, type El, textAt } from '../src/http/wv-csp/xml/tree.js'
import { NAMESPACES, type Version } from '../src/http/wv-csp/version.js'
import { CirClient } from './wv-cir.js'

export type { Version }

/** one transaction of an answer */
export interface Tx {
  mode: string
  tid: string
  name: string
  el: El
  /** Result/Code (or Status/Result/Code) when there is one */
  code?: number
}

export interface Reply {
  status: number
  text: string
  contentType: string
  /** the body as it came (WBXML answers are also given as XML in `text`) */
  bytes: Uint8Array
  txs: Tx[]
  poll: boolean
}

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export class WvClient {
  sessionId: string | undefined
  /** server-initiated transactions (NewMessage, notifications, reports) received in any answer and not yet taken */
  received: Tx[] = []
  /** the Login-Request's SessionCookie: a WVCI for this session carries it */
  cookie = `wv:cookie.${Date.now()}.${Math.random().toString(36).slice(2, 8)}`
  /** the STCP endpoint agreed in ClientCapability (when the client asked for STCP) */
  cir: { address?: string; port: number } | undefined
  #tid = 0
  constructor(readonly url: string, readonly version: Version = '1.2', readonly log?: (line: string) => void, readonly encoding: 'xml' | 'wbxml' = 'xml') {}

  get pa(): string {
    return NAMESPACES[this.version].pa
  }

  nextTid(): string {
    return String(++this.#tid)
  }

  /** a whole message around primitives (each `[mode, tid, xml]`) */
  envelope(txs: Array<[string, string, string]>): string {
    const { csp, trc } = NAMESPACES[this.version]
    const sd = this.sessionId ? `<SessionType>Inband</SessionType><SessionID>${esc(this.sessionId)}</SessionID>` : '<SessionType>Outband</SessionType>'
    const t = txs.map(([mode, tid, xml]) =>
      `<Transaction><TransactionDescriptor><TransactionMode>${mode}</TransactionMode><TransactionID>${esc(tid)}</TransactionID></TransactionDescriptor>` +
      `<TransactionContent xmlns="${trc}">${xml}</TransactionContent></Transaction>`).join('')
    return `<?xml version="1.0" encoding="UTF-8"?><WV-CSP-Message xmlns="${csp}"><Session><SessionDescriptor>${sd}</SessionDescriptor>${t}</Session></WV-CSP-Message>`
  }

  /** posts an XML document, encoded as WBXML first when this client speaks WBXML (or `raw` bytes as they are) */
  async post(body: string, raw?: Uint8Array<ArrayBuffer>): Promise<Reply> {
    const wbxml = this.encoding === 'wbxml' || raw !== undefined
    const contentType = `application/vnd.wv.csp${this.version === '1.3' ? '+' : '.'}${wbxml ? 'wbxml' : 'xml'}`
    const payload = raw ?? (wbxml ? encodeWbxml(parseXml(body), this.version) : body)
    this.log?.(`→ POST ${this.url} (${contentType}${wbxml ? `, ${payload.length} bytes` : ''})\n${body}`)
    const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': contentType }, body: payload })
    const bytes = new Uint8Array(await res.arrayBuffer())
    const type = res.headers.get('content-type') ?? ''
    const text = /wbxml/.test(type) && bytes.length ? serialize(bare(decodeWbxml(bytes).root, '')) : Buffer.from(bytes).toString('utf8')
    this.log?.(`← ${res.status} ${type}${text ? `\n${text}` : ' (empty)'}`)
    const reply = { status: res.status, text, contentType: type, bytes, ...readAnswer(text) }
    this.received.push(...reply.txs.filter((t) => t.mode === 'Request'))
    return reply
  }

  /** what the server sent on its own initiative so far (and forgets it) */
  take(): Tx[] {
    return this.received.splice(0)
  }

  /** one Request-mode primitive; the reply's first transaction is its answer */
  async request(xml: string): Promise<Reply> {
    return this.post(this.envelope([['Request', this.nextTid(), xml]]))
  }

  async login(user: string, password: string, opts: { method?: 'P' | 'N'; multiTrans?: number; ttl?: number; stcp?: boolean } = {}): Promise<Reply> {
    this.sessionId = undefined
    const r = await this.request(`<Login-Request><UserID>${esc(user)}</UserID><ClientID><URL>WV:pigeonhole-wv</URL></ClientID>` +
      `<Password>${esc(password)}</Password><TimeToLive>${opts.ttl ?? 600}</TimeToLive><SessionCookie>${esc(this.cookie)}</SessionCookie></Login-Request>`)
    this.sessionId = textAt(r.txs[0]?.el, 'SessionID')
    if (!this.sessionId) return r
    const caps = await this.request(`<ClientCapability-Request><ClientID><URL>WV:pigeonhole-wv</URL></ClientID><CapabilityList><ClientType>COMPUTER</ClientType>` +
      `<InitialDeliveryMethod>${opts.method ?? 'P'}</InitialDeliveryMethod><AcceptedContentType>text/plain</AcceptedContentType>` +
      `<AcceptedContentLength>65536</AcceptedContentLength><MultiTrans>${opts.multiTrans ?? 5}</MultiTrans>` +
      `${opts.stcp ? '<SupportedBearer>HTTP</SupportedBearer><SupportedCIRMethod>STCP</SupportedCIRMethod>' : ''}<ServerPollMin>30</ServerPollMin></CapabilityList></ClientCapability-Request>`)
    const agreed = child(caps.txs[0]?.el, this.version === '1.1' ? 'CapabilityList' : 'AgreedCapabilityList')
    const port = textAt(agreed, 'TCPPort')
    this.cir = port ? { address: textAt(agreed, 'TCPAddress'), port: Number(port) } : undefined
    await this.request('<Service-Request><ClientID><URL>WV:pigeonhole-wv</URL></ClientID><Functions><WVCSPFeat><FundamentalFeat/><PresenceFeat/><IMFeat/></WVCSPFeat></Functions><AllFunctionsRequest>T</AllFunctionsRequest></Service-Request>')
    return r
  }

  sendXml(to: string[], text: string, opts: { report?: boolean } = {}): string {
    return `<SendMessage-Request><DeliveryReport>${opts.report ? 'T' : 'F'}</DeliveryReport><MessageInfo><ContentType>text/plain</ContentType>` +
      `<ContentSize>${Buffer.byteLength(text)}</ContentSize><Recipient>${to.map((u) => `<User><UserID>${esc(u)}</UserID></User>`).join('')}</Recipient>` +
      `</MessageInfo><ContentData>${esc(text)}</ContentData></SendMessage-Request>`
  }

  send(to: string | string[], text: string, opts: { report?: boolean } = {}): Promise<Reply> {
    return this.request(this.sendXml(Array.isArray(to) ? to : [to], text, opts))
  }

  poll(): Promise<Reply> {
    return this.post(this.envelope([['Request', '', '<Polling-Request/>']]))
  }

  /** answers server-initiated transactions as a phone does: MessageDelivered for NewMessage, Status 200 for the rest */
  async ack(txs: Tx[] = this.take()): Promise<Reply | undefined> {
    const acks: Array<[string, string, string]> = txs.filter((t) => t.mode === 'Request').map((t) => [
      'Response', t.tid,
      t.name === 'NewMessage'
        ? `<MessageDelivered><MessageID>${esc(textAt(t.el, 'MessageInfo', 'MessageID') ?? '')}</MessageID></MessageDelivered>`
        : '<Status><Result><Code>200</Code></Result></Status>',
    ])
    return acks.length ? this.post(this.envelope(acks)) : undefined
  }

  logout(): Promise<Reply> {
    return this.request('<Logout-Request/>')
  }
}

/** the tree with each namespace written once, where it changes (a decoded tree carries it on every element) */
export function bare(e: El, inherited = ''): El {
  return { ...e, ns: e.ns === inherited ? '' : e.ns, children: e.children.map((c) => bare(c, e.ns)) }
}

/** an answer's transactions (an empty body has none) */
export function readAnswer(text: string): { txs: Tx[]; poll: boolean } {
  if (!text.trim()) return { txs: [], poll: false }
  const session = child(parseXml(text), 'Session')
  const txs = children(session, 'Transaction').map((t) => {
    const el = child(t, 'TransactionContent')!.children[0]
    const code = textAt(el, 'Result', 'Code')
    return {
      mode: textAt(t, 'TransactionDescriptor', 'TransactionMode') ?? '', tid: textAt(t, 'TransactionDescriptor', 'TransactionID') ?? '',
      name: el.name, el, ...(code !== undefined ? { code: Number(code) } : {}),
    }
  })
  const poll = (textAt(session, 'Poll') ?? children(session, 'Transaction').map((t) => textAt(t, 'TransactionDescriptor', 'Poll')).find(Boolean)) === 'T'
  return { txs, poll }
}

// ---- the command line ----

const HELP = `usage: npm run wv -- [--url URL] [--version 1.1|1.2|1.3] [--wbxml] [--state FILE] COMMAND...
commands (several may follow one another):
  login USER PASSWORD [--notify]   Login, ClientCapability (asking for STCP), Service (delivery P, or N with --notify)
  cir [--for SECONDS]              hold the STCP wake-up channel: HELO, print each WVCI, poll and acknowledge
  send USER TEXT [--report]        SendMessage-Request
  poll                             Polling-Request, then acknowledge what came (MessageDelivered / Status)
  messages                         GetMessageList-Request
  get MESSAGE_ID                   GetMessage-Request
  presence [USER...]               GetPresence-Request (yourself when none)
  status AVAILABLE|DISCREET|NOT_AVAILABLE [TEXT]   UpdatePresence-Request
  contacts                         GetList-Request, then ListManage of each list
  add USER [NICK]                  ListManage-Request on your default list
  subscribe USER...                SubscribePresence-Request
  block USER | unblock USER        BlockEntity-Request
  keepalive | logout`

async function main(argv: string[]): Promise<number> {
  const flag = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv.splice(i, 2)[1] : undefined
  }
  const has = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? (argv.splice(i, 1), true) : false
  }
  if (has('--help') || !argv.length) return void console.log(HELP), argv.length ? 0 : 2
  const stateFile = flag('--state') ?? join(tmpdir(), 'pigeonhole-wv-session.json')
  let state: { url?: string; version?: Version; sessionId?: string; user?: string; wbxml?: boolean; cookie?: string; cir?: WvClient['cir'] } = {}
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'))
  } catch {}
  const url = flag('--url') ?? state.url ?? 'http://127.0.0.1:8080/imps'
  const version = (flag('--version') as Version | undefined) ?? state.version ?? '1.2'
  const notify = has('--notify')
  const report = has('--report')
  const wbxml = has('--wbxml') || (state.wbxml ?? false)
  const seconds = Number(flag('--for') ?? 0)
  const c = new WvClient(url, version, (line) => console.log(line + '\n'), wbxml ? 'wbxml' : 'xml')
  c.sessionId = state.sessionId
  c.cookie = state.cookie ?? c.cookie
  c.cir = state.cir
  const me = () => state.user ?? ''
  while (argv.length) {
    const cmd = argv.shift()!
    const arg = () => {
      const a = argv.shift()
      if (a === undefined) throw new Error(`${cmd} needs more arguments (npm run wv -- --help)`)
      return a
    }
    if (cmd === 'login') {
      state.user = arg()
      await c.login(state.user, arg(), { method: notify ? 'N' : 'P', stcp: true })
      if (!c.sessionId) return 1
    } else if (cmd === 'cir') await holdCir(c, url, seconds)
    else if (cmd === 'send') await c.send(arg(), arg(), { report })
    else if (cmd === 'poll') await c.poll()
    else if (cmd === 'messages') await c.request('<GetMessageList-Request/>')
    else if (cmd === 'get') await c.request(`<GetMessage-Request><MessageID>${esc(arg())}</MessageID></GetMessage-Request>`)
    else if (cmd === 'presence') {
      const users = argv.splice(0).length ? [] : [me()]
      await c.request(`<GetPresence-Request>${users.map((u) => `<User><UserID>${esc(u)}</UserID></User>`).join('')}</GetPresence-Request>`)
    } else if (cmd === 'status') {
      const availability = arg()
      const text = argv.shift()
      await c.request(`<UpdatePresence-Request><PresenceSubList xmlns="${c.pa}"><UserAvailability><Qualifier>T</Qualifier><PresenceValue>${esc(availability)}</PresenceValue></UserAvailability>` +
        (text !== undefined ? `<StatusText><Qualifier>T</Qualifier><PresenceValue>${esc(text)}</PresenceValue></StatusText>` : '') + '</PresenceSubList></UpdatePresence-Request>')
    } else if (cmd === 'contacts') {
      const r = await c.request('<GetList-Request/>')
      for (const l of r.txs[0]?.el.children ?? []) await c.request(`<ListManage-Request><ContactList>${esc(l.text)}</ContactList><ReceiveList>T</ReceiveList></ListManage-Request>`)
    } else if (cmd === 'add') {
      const user = arg()
      const nick = argv[0] && !['send', 'poll', 'logout'].includes(argv[0]) ? argv.shift()! : user
      await c.request(`<ListManage-Request><ContactList>wv:${esc(me())}/Default</ContactList><AddNickList><NickName><Name>${esc(nick)}</Name><UserID>${esc(user)}</UserID></NickName></AddNickList><ReceiveList>T</ReceiveList></ListManage-Request>`)
    } else if (cmd === 'subscribe') {
      const users = argv.splice(0)
      await c.request(`<SubscribePresence-Request>${users.map((u) => `<User><UserID>${esc(u)}</UserID></User>`).join('')}<AutoSubscribe>T</AutoSubscribe></SubscribePresence-Request>`)
    } else if (cmd === 'block' || cmd === 'unblock') {
      const list = cmd === 'block' ? 'AddList' : 'RemoveList'
      await c.request(`<BlockEntity-Request><BlockList><InUse>T</InUse><${list}><UserID>${esc(arg())}</UserID></${list}></BlockList></BlockEntity-Request>`)
    } else if (cmd === 'keepalive') await c.request('<KeepAlive-Request/>')
    else if (cmd === 'logout') {
      await c.logout()
      c.sessionId = undefined
    } else {
      console.error(`unknown command "${cmd}"\n${HELP}`)
      return 2
    }
    // as a phone does: what the server sent along with any answer (a NewMessage after login, say) is answered now
    if (c.sessionId) await c.ack()
  }
  if (c.sessionId) writeFileSync(stateFile, JSON.stringify({ url, version, sessionId: c.sessionId, user: state.user, wbxml, cookie: c.cookie, cir: c.cir }))
  else rmSync(stateFile, { force: true })
  return 0
}

/** connects to the agreed STCP endpoint (the server's host when no TCPAddress came), binds, and polls on each WVCI */
async function holdCir(c: WvClient, url: string, seconds: number): Promise<void> {
  if (!c.sessionId || !c.cir) throw new Error('log in first; the server agreed no STCP channel (is CIR off?)')
  const host = c.cir.address ?? new URL(url).hostname
  const cir = await CirClient.connect(host, c.cir.port)
  console.log(`CIR ${host}:${c.cir.port} → HELO ${c.sessionId}\n← ${await cir.hello(c.sessionId)}`)
  const until = seconds > 0 ? Date.now() + seconds * 1000 : Infinity
  const ping = setInterval(() => cir.write('PING\r\n'), 60_000)
  try {
    while (Date.now() < until && !cir.closed) {
      const line = await cir.next(Math.min(until - Date.now(), 3_600_000)).catch(() => undefined)
      if (line === undefined) continue
      console.log(`← ${line || '(closed by the server)'}`)
      if (line.startsWith('WVCI')) {
        await c.poll()
        await c.ack()
      }
    }
  } finally {
    clearInterval(ping)
    cir.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(`wv: ${(err as Error).message}`)
    process.exit(1)
  })
}
