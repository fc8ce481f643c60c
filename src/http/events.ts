import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Core } from '../core/context.js'
import { deliverOnConnect } from '../core/delivery.js'
import type { ServerEvent, Sink } from '../core/hub.js'
import { type ApiEnv, sessionAuth } from './middleware.js'
import { deliveryReport, messageInfo, messageWithBody } from './render.js'

/** a comment line this often keeps idle connections (and the proxies between) open; the protocol asks for ≤ 25 s */
export const HEARTBEAT_MS = 20_000

/** GET /events: the session's Server-Sent Events stream (NewMessage, MessageNotification, DeliveryReport, Disconnect) */
export function eventRoutes(core: Core, heartbeatMs = HEARTBEAT_MS): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  api.get('/events', sessionAuth(core, { allowQueryToken: true }), (c) => {
    const session = c.get('session')
    return streamSSE(c, async (stream) => {
      let closed = false
      let finish!: () => void
      const done = new Promise<void>((resolve) => (finish = resolve))
      const sink: Sink = {
        send(e) {
          if (!closed) stream.write(`event: ${e.event}\ndata: ${JSON.stringify(render(e))}\n\n`).catch(() => {})
        },
        close() {
          closed = true
          finish()
        },
      }
      const detach = core.hub.attach(session, sink)
      const heartbeat = setInterval(() => stream.write(': keep-alive\n\n').catch(() => {}), HEARTBEAT_MS)
      stream.onAbort(() => sink.close())
      // the first bytes tell the client the stream is open, before anything waits on the store
      await stream.write(': connected\n\n')
      try {
        await deliverOnConnect(core, session, sink)
      } catch (err) {
        core.log('events', 'deliver_failed', { session: session.id, error: String(err) })
      }
      await done
      clearInterval(heartbeat)
      detach()
    })
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
