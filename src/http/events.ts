import './lean-web-globals.js'
import type { ServerResponse } from 'node:http'
import { Hono } from 'hono'
import { ImpsError } from '../core/codes.js'
import type { Core } from '../core/context.js'
import { attachSink } from '../core/delivery.js'
import type { Delivery, Sink } from '../core/hub.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { deliveryReport, messageInfo, messageWithBody, presenceView } from './render.js'

/**
 * Tells @hono/node-server that the answer was written to Node's response already, with the header its own
 * RESPONSE_ALREADY_SENT carries. That one is a real Response, built when its module loads, and would load
 * undici (see lean-web-globals.ts); the adapter reads only the headers and the null body of this one. One per
 * request, so that nothing can carry a change from one stream's answer to the next.
 */
const responseAlreadySent = (): Response =>
  ({ status: 200, body: null, headers: new Headers({ 'x-hono-already-sent': 'true' }) }) as unknown as Response

/** a comment line this often keeps idle connections (and the proxies between) open; the protocol asks for ≤ 25 s */
export const HEARTBEAT_MS = 20_000
const MAX_UNREAD_BYTES = 4 * 1024 * 1024
/** what waits at connect is written no faster than the client reads it, this much ahead */
const BACKLOG_HIGH_WATER = 256 * 1024

/**
 * GET /events: the session's Server-Sent Events stream (NewMessage, MessageNotification, DeliveryReport,
 * Disconnect). It writes straight to Node's response rather than through a web stream: an open stream then
 * costs a socket and a few small objects, which matters with a thousand of them on a Raspberry Pi.
 */
export function eventRoutes(core: Core, heartbeatMs = HEARTBEAT_MS): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  api.get('/events', sessionAuth(core, { allowQueryToken: true }), (c) => {
    const session = c.get('session')
    // HEAD (routed here with GET) learns what a stream would be, without one being opened
    if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' })
    const res = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
    if (!res) throw new ImpsError(503, 'Service unavailable: the event stream needs the Node HTTP server')
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' })
    // the first bytes tell the client the stream is open, before anything waits on the store
    res.write(': connected\n\n')
    let open = true
    const sink: Sink = {
      deliver(d) {
        if (!open) return
        res.write(`event: ${EVENT_NAMES[d.type]}\ndata: ${JSON.stringify(render(d))}\n\n`)
        // a client that stopped reading is cut off (its buffer dropped) rather than buffered for without end;
        // nothing is lost, since what was sent waits until confirmed and goes out again on its next stream
        if (res.writableLength > MAX_UNREAD_BYTES) res.destroy()
      },
      close() {
        if (open) res.end()
        finish()
      },
      ready() {
        if (!open || res.writableLength < BACKLOG_HIGH_WATER) return undefined
        return new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done)
            res.off('close', done)
            resolve()
          }
          res.on('drain', done)
          res.on('close', done)
        })
      },
    }
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs)
    let detach = () => {}
    const finish = () => {
      if (!open) return
      open = false
      clearInterval(heartbeat)
      detach()
    }
    res.once('close', () => sink.close())
    void attachSink(core, session, sink, { holdsSession: true }).then((detachFromHub) => {
      detach = detachFromHub
      if (!open) detach() // the client left while what waited was being sent
    })
    return responseAlreadySent()
  })
  return api
}

/** the stream's event names for the IMPS primitives (PROTOCOL.md 4) */
const EVENT_NAMES: Record<Delivery['type'], string> = {
  NewMessage: 'message', MessageNotification: 'notification', DeliveryReport: 'report', Disconnect: 'session',
  PresenceNotification: 'presence',
}

function render(d: Delivery): unknown {
  switch (d.type) {
    case 'NewMessage':
      return messageWithBody(d.message)
    case 'MessageNotification':
      return { messages: d.messages.map(messageInfo) }
    case 'DeliveryReport':
      return deliveryReport(d.report)
    case 'PresenceNotification':
      return { presence: d.presence.map(presenceView) }
    case 'Disconnect':
      return { result: d.result }
  }
}
