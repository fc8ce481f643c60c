import { createApp } from '../../src/app.js'
import { encodeWbxml } from '../../src/http/wv-csp/wbxml/encode.js'
import { parseXml } from '../../src/http/wv-csp/xml/parse.js'
import { TestServer } from '../../test/support/server.js'
import { WvClient } from '../wv.js'
import { median, pool } from './client.js'
import { body } from './seed.js'

/**
 * The WV-CSP door's own cost per SendMessage, in this process through `app.request()` (no sockets, no load
 * generator sharing the cores): requests are encoded before the clock starts, 20 in flight as in B5, and the
 * CPU this process used is divided by the sends (the embedded store's work included, the same for both).
 * Returns µs per send for XML and for WBXML, measured alternately so that drift touches both alike.
 */
export async function doorCost(sends = 3000, rounds = 3): Promise<{ xmlDoorUs: number; wbxmlDoorUs: number }> {
  const t = await TestServer.start({ inboxMaxMessages: 10_000_000, outboxMaxMessages: 10_000_000 })
  try {
    await t.users('alice', ...Array.from({ length: 50 }, (_, i) => `r${i}`))
    const app = createApp(t.server.core)
    const phone = new WvClient(t.url + '/imps', '1.2')
    await phone.login('wv:alice', 'alice-password')
    const writer = new WvClient('http://unused/imps', '1.2')
    writer.sessionId = phone.sessionId
    const xml = Array.from({ length: sends }, (_, i) => writer.envelope([['Request', String(i), writer.sendXml([`wv:r${i % 50}`], body(`door-${i}`))]]))
    const wbxml = xml.map((x) => encodeWbxml(parseXml(x), '1.2'))
    const time = async (bodies: Array<string | Uint8Array<ArrayBuffer>>, type: string) => {
      const before = process.cpuUsage()
      await pool(bodies, 20, async (body) => {
        await (await app.request('/imps', { method: 'POST', headers: { 'content-type': type }, body })).arrayBuffer()
      })
      const used = process.cpuUsage(before)
      return (used.user + used.system) / bodies.length
    }
    const x: number[] = []
    const w: number[] = []
    await time(xml.slice(0, 500), 'application/vnd.wv.csp.xml') // warm-up: the JIT, the store's boxes
    for (let r = 0; r < rounds; r++) {
      x.push(await time(xml, 'application/vnd.wv.csp.xml'))
      w.push(await time(wbxml, 'application/vnd.wv.csp.wbxml'))
    }
    return { xmlDoorUs: median(x), wbxmlDoorUs: median(w) }
  } finally {
    await t.destroy()
  }
}
