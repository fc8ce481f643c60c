import type { ServerResponse } from 'node:http'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import { Hono } from 'hono'
import { ImpsError } from '../core/codes.js'
import type { Core } from '../core/context.js'
import { connectStream } from '../core/delivery.js'
import type { ServerEvent, Sink } from '../core/hub.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { deliveryReport, messageInfo, messageWithBody } from './render.js'

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
      send(e) {
        if (!open) return
        res.write(`event: ${e.event}\ndata: ${JSON.stringify(render(e))}\n\n`)
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
    void connectStream(core, session, sink).then((detachFromHub) => {
      detach = detachFromHub
      if (!open) detach() // the client left while what waited was being sent
    })
    // @hono/node-server's own marker: the answer went out on Node's response already
    return RESPONSE_ALREADY_SENT
  })
  return api
}

function render(e: ServerEvent): unknown {
  switch (e.event) {
    case 'message':
      return messageWithBody(e.message)
    case 'notification':
      return { messages: e.messages.map(messageInfo) }
    case 'report':
      return deliveryReport(e.report)
    case 'session':
      return { result: e.result }
  }
}
