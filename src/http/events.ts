import { Hono } from 'hono'
import type { Core } from '../core/context.js'
import { attachSink } from '../core/delivery.js'
import type { Delivery, Sink } from '../core/hub.js'
import type { Session } from '../core/sessions.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { RESPONSE_ALREADY_SENT, nodeEventStream, nodeResponse } from './node-fast-path.js'
import { deliveryReport, messageInfo, messageWithBody, presenceView } from './render.js'
import { type FrameWriter, webEventStream } from './web-event-stream.js'

/** a comment line this often keeps idle connections (and the proxies between) open; the protocol asks for ≤ 25 s */
export const HEARTBEAT_MS = 20_000
const MAX_UNREAD_BYTES = 4 * 1024 * 1024
/** what waits at connect is written no faster than the client reads it, this much ahead */
const BACKLOG_HIGH_WATER = 256 * 1024

const STREAM_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' }

/**
 * GET /events: the session's Server-Sent Events stream (NewMessage, MessageNotification, DeliveryReport,
 * Disconnect). Under Node it is written straight to the response; elsewhere (app.request() in tests) the same
 * frames go out as a web ReadableStream.
 */
export function eventRoutes(core: Core, heartbeatMs = HEARTBEAT_MS): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  api.get('/events', sessionAuth(core, { allowQueryToken: true }), (c) => {
    const session = c.get('session')
    // HEAD (routed here with GET) learns what a stream would be, without one being opened
    if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': STREAM_HEADERS['Content-Type'], 'Cache-Control': 'no-cache' })
    const res = nodeResponse(c)
    if (res) {
      openStream(core, session, nodeEventStream(res, STREAM_HEADERS), heartbeatMs)
      return RESPONSE_ALREADY_SENT
    }
    const { body, frames } = webEventStream(BACKLOG_HIGH_WATER)
    openStream(core, session, frames, heartbeatMs)
    return c.body(body, 200, STREAM_HEADERS)
  })
  return api
}

/** attaches a stream to the hub and writes it what waits, then what comes */
function openStream(core: Core, session: Session, out: FrameWriter, heartbeatMs: number): void {
  // the first bytes tell the client the stream is open, before anything waits on the store
  out.write(': connected\n\n')
  let open = true
  const sink: Sink = {
    deliver(d) {
      if (!open) return
      out.write(`event: ${EVENT_NAMES[d.type]}\ndata: ${JSON.stringify(render(d))}\n\n`)
      // a client that stopped reading is cut off (its buffer dropped) rather than buffered for without end;
      // nothing is lost, since what was sent waits until confirmed and goes out again on its next stream
      if (out.unread() > MAX_UNREAD_BYTES) out.cut()
    },
    close() {
      if (open) out.end()
      finish()
    },
    ready() {
      if (!open || out.unread() < BACKLOG_HIGH_WATER) return undefined
      return out.drained()
    },
  }
  const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), heartbeatMs)
  let detach = () => {}
  const finish = () => {
    if (!open) return
    open = false
    clearInterval(heartbeat)
    detach()
  }
  out.onClose(() => sink.close())
  void attachSink(core, session, sink, { holdsSession: true }).then((detachFromHub) => {
    detach = detachFromHub
    if (!open) detach() // the client left while what waited was being sent
  })
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
