import { freePort } from '../../test/support/free-port.js'
import { encodeWbxml } from '../../src/http/wv-csp/wbxml/encode.js'
import { decodeWbxml } from '../../src/http/wv-csp/wbxml/decode.js'
import { parseXml } from '../../src/http/wv-csp/xml/parse.js'
import { child, textAt } from '../../src/http/wv-csp/xml/tree.js'
import { CirClient } from '../wv-cir.js'
import { WvClient } from '../wv.js'
import { type BenchClient, percentile } from './client.js'
import { type Figures, type Options, register, withServer } from './scenarios.js'
import { body } from './seed.js'
import { BenchServer, removeDir } from './server.js'

const CT = 'application/vnd.wv.csp.wbxml'
const IDLE_CONNECTIONS = 1000


/** a phone's WBXML exchange (1.2); the answer's tree */
async function post(c: BenchClient, w: WvClient, xml: string) {
  const a = await c.post('/imps', CT, encodeWbxml(parseXml(w.envelope([['Request', w.nextTid(), xml]])), '1.2'))
  return a.raw?.length ? decodeWbxml(a.raw).root : undefined
}

/**
 * CIR: bob's phone (WBXML 1.2, STCP agreed) holds a bound channel; alice sends over the JSON API; timed from her
 * request to the WVCI line arriving; bob then polls and acknowledges so the next message wakes him again. Then
 * 1,000 more channels are bound and left idle, and the server's RSS before and after says what they cost.
 */
export async function cir(opts: Options, _run: number, n = 300): Promise<Figures> {
  const dir = BenchServer.freshDataDir()
  const port = await freePort()
  try {
    return await withServer(opts, dir, { PIGEONHOLE_CIR_PORT: String(port), PIGEONHOLE_CIR_MAX_PER_ADDRESS: '2000' }, async (s) => {
      const [alice, bob] = await register(s, ['alice', 'bob'])
      await alice.login()
      const phone = new WvClient('', '1.2')
      const login = await post(bob, phone, `<Login-Request><UserID>wv:bob</UserID><ClientID><URL>WV:bench</URL></ClientID><Password>${bob.password}</Password><SessionCookie>${phone.cookie}</SessionCookie></Login-Request>`)
      phone.sessionId = textAt(login, 'Session', 'Transaction', 'TransactionContent', 'Login-Response', 'SessionID')
      await post(bob, phone, '<ClientCapability-Request><CapabilityList><InitialDeliveryMethod>P</InitialDeliveryMethod><SupportedCIRMethod>STCP</SupportedCIRMethod></CapabilityList></ClientCapability-Request>')
      const channel = await CirClient.connect(s.host, port)
      if ((await channel.hello(phone.sessionId!)) !== 'OK') throw new Error('CIR: HELO refused')
      const times: number[] = []
      let failures = 0
      for (let i = 0; i < n; i++) {
        const t0 = performance.now()
        await alice.send('bob', body(`cir-${i}`))
        const line = await channel.next(2000).catch(() => '')
        if (!line.startsWith('WVCI 1.2 ')) failures++
        times.push(channel.arrivals[channel.arrivals.length - 1] - t0)
        const answer = await post(bob, phone, '<Polling-Request/>')
        for (const t of child(answer, 'Session')?.children.filter((x) => x.name === 'Transaction') ?? []) {
          const id = textAt(t, 'TransactionContent', 'NewMessage', 'MessageInfo', 'MessageID')
          if (!id) continue
          const tid = textAt(t, 'TransactionDescriptor', 'TransactionID')!
          await bob.post('/imps', CT, encodeWbxml(parseXml(phone.envelope([['Response', tid, `<MessageDelivered><MessageID>${id}</MessageID></MessageDelivered>`]])), '1.2'))
        }
      }
      const sorted = times.sort((a, b) => a - b)
      await new Promise((r) => setTimeout(r, 500))
      const before = s.rss().rssMb
      const idle: CirClient[] = []
      for (let i = 0; i < IDLE_CONNECTIONS; i++) idle.push(await CirClient.connect(s.host, port))
      const bound = await Promise.all(idle.map((c) => c.hello(phone.sessionId!)))
      failures += bound.filter((x) => x !== 'OK').length
      await new Promise((r) => setTimeout(r, 1000))
      const after = s.rss().rssMb
      for (const c of [...idle, channel]) c.close()
      alice.close()
      bob.close()
      return { wakeP50Ms: percentile(sorted, 0.5), wakeP99Ms: percentile(sorted, 0.99), idleCirRssMb: after - before, cirFailures: failures }
    })
  } finally {
    if (!opts.keep) removeDir(dir)
  }
}
